import { describe, expect, it } from '@jest/globals';
import { BIG_WHEEL, planLayers } from '../../../src/dockerfile/layers.js';

const wheel = (project: string, bytes = BIG_WHEEL): { file: string; bytes: number } => ({ file: `${project}-1.0-py3-none-any.whl`, bytes });

describe('planLayers', () => {
  it.each<[string, { file: string; bytes: number }[], string[], [string, string[]][], string[]]>([
    [
      'one layer per wheel, in name order',
      [wheel('six'), wheel('Django'), wheel('idna')],
      [],
      [
        ['wheel-django', ['Django-1.0-py3-none-any.whl']],
        ['wheel-idna', ['idna-1.0-py3-none-any.whl']],
        ['wheel-six', ['six-1.0-py3-none-any.whl']]
      ],
      []
    ],
    [
      'projects the image has are installed on it, by their normalized names',
      [wheel('Setuptools'), wheel('pip'), wheel('six')],
      ['pip', 'setuptools', 'wheel'],
      [['wheel-six', ['six-1.0-py3-none-any.whl']]],
      ['Setuptools-1.0-py3-none-any.whl', 'pip-1.0-py3-none-any.whl']
    ],
    [
      'names with dots and underscores become one stage name',
      [wheel('typing_extensions'), wheel('zope.interface')],
      [],
      [
        ['wheel-typing-extensions', ['typing_extensions-1.0-py3-none-any.whl']],
        ['wheel-zope-interface', ['zope.interface-1.0-py3-none-any.whl']]
      ],
      []
    ],
    ['nothing to layer', [], ['pip'], [], []]
  ])('%s', (_, wheels, imageHas, layers, onImage) => {
    const plan = planLayers(wheels, imageHas);
    expect(plan.layers.map((l) => [l.stage, l.wheels])).toEqual(layers);
    expect(plan.onImage).toEqual(onImage);
  });

  it('wheels under 1 MiB share a layer with the others of their first letter; big ones keep their own', () => {
    const small = (project: string): { file: string; bytes: number } => wheel(project, BIG_WHEEL - 1);
    const plan = planLayers(
      [small('asgiref'), small('anyascii'), wheel('Django'), small('django_filter'), small('defusedxml'), small('six'), wheel('numpy')],
      []
    );
    expect(plan.layers.map((l) => [l.stage, l.wheels.map((w) => w.split('-')[0])])).toEqual([
      ['wheel-django', ['Django']],
      ['wheels-a', ['anyascii', 'asgiref']],
      ['wheels-d', ['defusedxml', 'django_filter']],
      ['wheel-numpy', ['numpy']],
      ['wheels-s', ['six']]
    ]);
  });

  it('a bumped pin changes only its own layer', () => {
    const before = planLayers([wheel('six'), wheel('idna'), { file: 'sqlparse-0.5.3-py3-none-any.whl', bytes: 40_000 }], []);
    const after = planLayers([wheel('six'), wheel('idna'), { file: 'sqlparse-0.6.1-py3-none-any.whl', bytes: 40_000 }], []);
    const changed = after.layers.filter((l, i) => JSON.stringify(l) !== JSON.stringify(before.layers[i]));
    expect(changed.map((l) => l.stage)).toEqual(['wheels-s']);
  });
});
