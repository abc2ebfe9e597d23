// pipFailure: what the wheel build's log (buildx plain progress around pip's output) says went wrong.
import { describe, expect, it } from '@jest/globals';
import { pipFailure } from '../../../src/wheels/build.js';

const RUN =
  '#11 [build 4/4] RUN --mount=type=bind,from=wheel-inputs,target=/wheel-inputs --mount=type=bind,from=wheelhouse-previous,target=/wheelhouse-previous     mkdir -p /out/wheelhouse /root/.cache/pip && python3 -m pip wheel --wheel-dir /out/wheelhouse --find-links /wheelhouse-previous --cache-dir /root/.cache/pip -r /wheel-inputs/requirements.txt';
const SOLVE_FAILED =
  'ERROR: failed to solve: process "/bin/sh -c mkdir -p /out/wheelhouse /root/.cache/pip && python3 -m pip wheel --wheel-dir /out/wheelhouse --find-links /wheelhouse-previous --cache-dir /root/.cache/pip -r /wheel-inputs/requirements.txt" did not complete successfully: exit code: 1';

const NO_DISTRIBUTION = `${RUN}
#11 0.912 Looking in links: /wheelhouse-previous
#11 1.534 Collecting flask==3.0.3 (from -r /wheel-inputs/requirements.txt (line 1))
#11 1.611   Using cached flask-3.0.3-py3-none-any.whl.metadata (3.2 kB)
#11 2.217 ERROR: Could not find a version that satisfies the requirement nosuchpkg==9.9.9 (from versions: none)
#11 2.218 ERROR: No matching distribution found for nosuchpkg==9.9.9
#11 ERROR: process "/bin/sh -c mkdir -p /out/wheelhouse ..." did not complete successfully: exit code: 1
------
 > [build 4/4] RUN --mount=type=bind,from=wheel-inputs,target=/wheel-inputs ...:
2.217 ERROR: Could not find a version that satisfies the requirement nosuchpkg==9.9.9 (from versions: none)
2.218 ERROR: No matching distribution found for nosuchpkg==9.9.9
------
${SOLVE_FAILED}
`;

const PSYCOPG2 = `${RUN}
#11 0.874 Looking in links: /wheelhouse-previous
#11 1.402 Collecting psycopg2==2.9.9 (from -r /wheel-inputs/requirements.txt (line 2))
#11 1.448   Downloading psycopg2-2.9.9.tar.gz (384 kB)
#11 2.310   Preparing metadata (setup.py): started
#11 2.911   Preparing metadata (setup.py): finished with status 'done'
#11 3.020 Building wheels for collected packages: psycopg2
#11 3.021   Building wheel for psycopg2 (setup.py): started
#11 5.804   Building wheel for psycopg2 (setup.py): finished with status 'error'
#11 5.812   error: subprocess-exited-with-error
#11 5.812
#11 5.812   × python setup.py bdist_wheel did not run successfully.
#11 5.812   │ exit code: 1
#11 5.812   ╰─> [34 lines of output]
#11 5.812       running bdist_wheel
#11 5.812       running build_ext
#11 5.812       building 'psycopg2._psycopg' extension
#11 5.812       In file included from psycopg/adapter_asis.c:28:
#11 5.812       ./psycopg/psycopg.h:36:10: fatal error: libpq-fe.h: No such file or directory
#11 5.812          36 | #include <libpq-fe.h>
#11 5.812       compilation terminated.
#11 5.812       It appears you are missing some prerequisite to build the package from source.
#11 5.812       [end of output]
#11 5.812
#11 5.812   note: This error originates from a subprocess, and is likely not a problem with pip.
#11 5.813   ERROR: Failed building wheel for psycopg2
#11 5.814   Running setup.py clean for psycopg2
#11 6.102 Failed to build psycopg2
#11 6.103 ERROR: Failed to build one or more wheels
#11 ERROR: process "/bin/sh -c mkdir -p /out/wheelhouse ..." did not complete successfully: exit code: 1
------
${SOLVE_FAILED}
`;

describe('pipFailure', () => {
  it.each<[string, string, string | undefined]>([
    ['no matching distribution', NO_DISTRIBUTION, 'pip found no distribution of nosuchpkg==9.9.9 for this Python and platform'],
    ['psycopg2 without libpq-dev', PSYCOPG2, 'the wheel for psycopg2 failed to build'],
    [
      "pip's error line alone",
      '#11 9.1   ERROR: Failed building wheel for PyYAML\n#11 ERROR: process "/bin/sh -c ..." did not complete successfully: exit code: 1\n',
      'the wheel for PyYAML failed to build'
    ],
    [
      'an older pip: the build line ends in error',
      '#11 4.2   Building wheel for lxml (pyproject.toml) ... error\n#11 4.2   error: subprocess-exited-with-error\n',
      'the wheel for lxml failed to build'
    ],
    [
      'several failures: the first named',
      '#11 8.0   ERROR: Failed building wheel for aiortc\n#11 8.1   ERROR: Failed building wheel for av\n#11 8.2 Failed to build aiortc av\n#11 8.2 ERROR: Failed to build one or more wheels\n',
      'the wheel for aiortc failed to build'
    ],
    [
      'a step before the build (a setup.py that exits): the package pip was collecting',
      `#11 1.4 Collecting six==1.17.0 (from -r /wheel-inputs/requirements.txt (line 1))
#11 1.6 Collecting whb-armfail@ http://127.0.0.1:40831/whb-armfail-0.1.0.tar.gz (from -r /wheel-inputs/requirements.txt (line 3))
#11 1.7   Downloading http://127.0.0.1:40831/whb-armfail-0.1.0.tar.gz (818 bytes)
#11 2.0   Installing build dependencies: started
#11 9.5   Installing build dependencies: finished with status 'done'
#11 9.5   Getting requirements to build wheel: started
#11 11.2   Getting requirements to build wheel: finished with status 'error'
#11 11.2   error: subprocess-exited-with-error
#11 11.2
#11 11.2   × Getting requirements to build wheel did not run successfully.
#11 11.2   │ exit code: 1
#11 11.2   ╰─> [1 lines of output]
#11 11.2       whb-armfail does not build on aarch64
#11 11.2       [end of output]
`,
      'the wheel for whb-armfail failed to build (getting requirements to build wheel did not run successfully)'
    ],
    [
      'a local archive whose build dependencies cannot be installed',
      `#11 0.9 Processing /wheel-inputs/archives/mypkg-2.0.tar.gz
#11 1.0   Installing build dependencies: started
#11 3.0   Installing build dependencies: finished with status 'error'
#11 3.0   × pip subprocess to install build dependencies did not run successfully.
`,
      'the wheel for mypkg-2.0 failed to build (pip subprocess to install build dependencies did not run successfully)'
    ],
    ['a name with dots and underscores', '#11 3.3 Failed to build zope.interface\n', 'the wheel for zope.interface failed to build'],
    [
      'a missing distribution wins over a failed build',
      '#11 2.0 Failed to build foo\n#11 2.1 ERROR: No matching distribution found for bar>=2\n',
      'pip found no distribution of bar>=2 for this Python and platform'
    ],
    [
      'an unknown failure (apt-get)',
      `#10 [build 3/4] RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpq-devv
#10 2.913 E: Unable to locate package libpq-devv
#10 ERROR: process "/bin/sh -c apt-get update ..." did not complete successfully: exit code: 100
`,
      undefined
    ],
    [
      'a network failure',
      '#11 15.2 WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken\n#11 60.1 ERROR: Could not install packages due to an OSError\n',
      undefined
    ],
    [
      'a file that does not match its hashes (pip 23.2)',
      `#11 2.801 Collecting six==1.17.0 (from -r /wheel-inputs/checked.txt (line 1))
#11 2.990   Downloading six-1.17.0-py2.py3-none-any.whl (11 kB)
#11 3.004 ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.
#11 3.004     six==1.17.0 from https://files.pythonhosted.org/packages/b7/ce/149a00dd41f10bc29e5921b496af8b574d8413afcd5e30dfa0ed46c2cc5e/six-1.17.0-py2.py3-none-any.whl (from -r /wheel-inputs/checked.txt (line 1)):
#11 3.004         Expected sha256 0000000000000000000000000000000000000000000000000000000000000000
#11 3.004              Got        4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274
`,
      'pip refused six==1.17.0: what the index serves does not match the hashes the requirements give for it (the lock file is out of date, or the file was altered)'
    ],
    ['nothing', '', undefined]
  ])('%s', (_, output, expected) => {
    expect(pipFailure(output)).toBe(expected);
  });
});

describe('pipFailure: the wheel image runs another Python than the target', () => {
  it("names the 'wheel-image' input and both Pythons", () => {
    const log = `#8 [build 2/5] RUN ["python3","-c","import sys..."]
#8 0.101 wheelhouse-buildx: the wheel image runs cp312 but the target runs cp311
#8 ERROR: process "python3 -c ..." did not complete successfully: exit code: 1`;
    expect(pipFailure(log)).toBe(
      "input 'wheel-image': the wheel image runs cp312 but the target runs cp311; name an image with the target's Python"
    );
  });
});

describe('pipFailure: the wheel image has a newer or another C library than the target', () => {
  it('names the input and both C libraries', () => {
    const output =
      '#8 0.101 wheelhouse-buildx: the wheel image has glibc2.38 but the target has glibc2.36: its wheels may need a C library the target lacks\n';
    expect(pipFailure(output)).toBe(
      "input 'wheel-image': the wheel image has glibc2.38 but the target has glibc2.36, so its wheels may need a C library the target lacks; name an image of the target's distribution (the same or an older C library)"
    );
  });
});
