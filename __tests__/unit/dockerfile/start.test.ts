// The start command of a generated Dockerfile, found in small projects the way repo2docker and S2I
// find one; and the `command` input's two forms.
import { describe, expect, it } from '@jest/globals';
import { type ProjectFiles, commandOf, detectStart } from '../../../src/dockerfile/start.js';

function project(files: Record<string, string>, dependencies: string[]): ProjectFiles {
  return {
    files: Object.keys(files).sort(),
    read: async (f) => {
      if (!(f in files)) throw new Error(`no ${f}`);
      return files[f]!;
    },
    dependencies: new Set(dependencies)
  };
}

describe('detectStart', () => {
  it.each<[string, Record<string, string>, string[], string[] | undefined, string]>([
    [
      'Django under a folder, served by gunicorn',
      { 'requirements.txt': '', 'site/manage.py': '', 'site/site_app/wsgi.py': '', 'site/site_app/settings.py': '' },
      ['django', 'gunicorn'],
      ['gunicorn', '--bind', '0.0.0.0:8000', 'site_app.wsgi'],
      'site'
    ],
    [
      'an ASGI module served by uvicorn comes first',
      { 'proj/asgi.py': '', 'proj/wsgi.py': '', 'manage.py': '' },
      ['django', 'gunicorn', 'uvicorn'],
      ['uvicorn', '--host', '0.0.0.0', '--port', '8000', 'proj.asgi:application'],
      ''
    ],
    [
      'FastAPI in main.py',
      { 'main.py': 'from fastapi import FastAPI\n\napi = FastAPI(title="x")\n' },
      ['fastapi', 'uvicorn'],
      ['uvicorn', '--host', '0.0.0.0', '--port', '8000', 'main:api'],
      ''
    ],
    [
      'Flask in app/app.py served by gunicorn',
      { 'app/app.py': 'from flask import Flask\napp = Flask(__name__)\n' },
      ['flask', 'gunicorn'],
      ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app'],
      'app'
    ],
    [
      'Django without a server: its development server',
      { 'manage.py': '', 'proj/wsgi.py': '' },
      ['django'],
      ['python3', 'manage.py', 'runserver', '--noreload', '0.0.0.0:8000'],
      ''
    ],
    [
      'a [project.scripts] entry named like the project',
      { 'pyproject.toml': '[project]\nname = "tool"\n[project.scripts]\nother = "tool.other:run"\ntool = "tool.cli:main"\n' },
      ['click'],
      ['python3', '-c', 'import sys; from tool.cli import main; sys.exit(main())'],
      ''
    ],
    ['a wsgi.py in tests is not the app', { 'tests/proj/wsgi.py': '' }, ['gunicorn'], undefined, ''],
    ['nothing to start', { 'lib.py': 'x = 1\n' }, ['requests'], undefined, '']
  ])('%s', async (_, files, dependencies, command, workdir) => {
    const start = await detectStart(project(files, dependencies));
    if (command === undefined) expect(start).toBeUndefined();
    else expect(start).toMatchObject({ command, workdir });
  });
});

describe('commandOf', () => {
  it.each<[string, string[] | undefined]>([
    ['', undefined],
    ['gunicorn  --bind 0.0.0.0:8000 app:app', ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']],
    ['["python3", "-m", "http.server"]', ['python3', '-m', 'http.server']]
  ])('%j', (input, words) => expect(commandOf(input)).toEqual(words));

  it('refuses a JSON array of anything but strings', () => {
    expect(() => commandOf('["a", 1]')).toThrow('a JSON array of strings');
  });
});
