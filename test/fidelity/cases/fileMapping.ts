/**
 * File-backed sections: Wine dlls/kernel32/tests/virtual.c test_MapViewOfFile (its file part; lines
 * at b5be39cf) and dlls/kernel32/tests/file.c test_MapFile (lines at 3ccb87e3). The sandbox's
 * files are the simulated machine's: a path names one, empty until a writable mapping gives it a
 * size (as SetEndOfFile does in the tests). The live engine maps only pagefile-backed sections.
 */
import { type FidelityCase, type Row, fails, rowsFrom, succeeds } from '../table';
import { ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER, ERROR_NOT_ENOUGH_MEMORY } from '../table';

const ERROR_FILE_INVALID = 1006;
const SIMULATED_FILES =
  "the sandbox's files are the simulated machine's; the live engine maps only pagefile-backed sections";

const mvof = (line: number) =>
  rowsFrom(`wine dlls/kernel32/tests/virtual.c:${line}@b5be39cf`)('test_MapViewOfFile');
const mapFile = (line: number) =>
  rowsFrom(`wine dlls/kernel32/tests/file.c:${line}@3ccb87e3`)('test_MapFile');
const setup = (step: Record<string, unknown>, what: string): Row => ({
  step,
  expect: null,
  source: `setup: ${what}`,
});

const create = (
  file: string,
  protect: string,
  size: number | string,
  as: string,
  name?: string,
) => ({
  op: 'CreateFileMapping',
  file,
  protect,
  size,
  ...(name ? { name } : {}),
  as,
});
const map = (handle: string, access: string | number, as: string) => ({
  op: 'MapViewOfFile',
  handle,
  access,
  size: 4096,
  as,
});
const unmap = (address: string) => ({ op: 'UnmapViewOfFile', address });
const close = (handle: string) => ({ op: 'CloseHandle', handle });

const FILE = 'C:\\tests\\testfile.xxx';

/** Each access a view may ask for, against a mapping of `protect`: every one but FILE_MAP_WRITE works on a read-only or copy-on-write mapping. */
function views(mapping: string, lines: [number, number, number, number], writable: boolean): Row[] {
  const [read, copy, none, write] = lines;
  const v = `${mapping}v`;
  return [
    mvof(read)(
      map(mapping, 'FILE_MAP_READ', v),
      succeeds(),
      'MapViewOfFile(FILE_MAP_READ) succeeds',
    ),
    setup(unmap(v), 'UnmapViewOfFile'),
    mvof(copy)(
      map(mapping, 'FILE_MAP_COPY', v),
      succeeds(),
      'MapViewOfFile(FILE_MAP_COPY) succeeds',
    ),
    setup(unmap(v), 'UnmapViewOfFile'),
    mvof(none)(map(mapping, 0, v), succeeds(), 'MapViewOfFile(0) succeeds'),
    setup(unmap(v), 'UnmapViewOfFile'),
    writable
      ? mvof(write)(
          map(mapping, 'FILE_MAP_WRITE', v),
          succeeds(),
          'MapViewOfFile(FILE_MAP_WRITE) succeeds',
        )
      : mvof(write)(
          map(mapping, 'FILE_MAP_WRITE', v),
          fails(ERROR_ACCESS_DENIED, null),
          'FILE_MAP_WRITE of a mapping that is not read-write fails (ERROR_ACCESS_DENIED or 87)',
        ),
    setup(unmap(v), 'UnmapViewOfFile'),
  ];
}

const mapViewOfFile: FidelityCase = {
  name: 'kernel32 test_MapViewOfFile: a file-backed section',
  simulatorOnly: SIMULATED_FILES,
  rows: [
    setup(create(FILE, 'PAGE_READWRITE', 12288, 'grow'), 'SetEndOfFile(file, 12288)'),
    setup(close('grow'), 'the file is 12288 bytes now'),
    mvof(587)(
      create(FILE, 'PAGE_READWRITE', 4096, 'rw'),
      succeeds(),
      'PAGE_READWRITE mapping of 4096 bytes',
    ),
    ...views('rw', [591, 596, 601, 606], true),
    setup(close('rw'), 'CloseHandle(mapping)'),
    mvof(646)(create(FILE, 'PAGE_READONLY', 4096, 'ro'), succeeds(), 'PAGE_READONLY mapping'),
    ...views('ro', [650, 655, 660, 666], false),
    setup(close('ro'), 'CloseHandle(mapping)'),
    mvof(674)(create(FILE, 'PAGE_WRITECOPY', 4096, 'wc'), succeeds(), 'PAGE_WRITECOPY mapping'),
    ...views('wc', [678, 683, 688, 694], false),
    setup(close('wc'), 'CloseHandle(mapping)'),
    mvof(702)(
      create(FILE, 'PAGE_NOACCESS', 4096, 'na'),
      fails(ERROR_INVALID_PARAMETER, null),
      'PAGE_NOACCESS mapping → ERROR_INVALID_PARAMETER',
    ),
    setup(create(FILE, 'PAGE_READWRITE', 0x3456, 'grow2'), 'SetEndOfFile(file) at 0x3456'),
    setup(close('grow2'), 'the file is 0x3456 bytes now'),
    mvof(1270)(
      create(FILE, 'PAGE_READONLY', 0x3452, 'part'),
      succeeds(),
      'a section of 0x3452 bytes of the file',
    ),
    mvof(1281)(
      { op: 'MapViewOfFile', handle: 'part', access: 'FILE_MAP_READ', size: 0x3452, as: 'pv' },
      succeeds(),
      "a view of the section's 0x3452 bytes",
    ),
    setup(unmap('pv'), 'NtUnmapViewOfSection'),
    mvof(1286)(
      { op: 'MapViewOfFile', handle: 'part', access: 'FILE_MAP_READ', size: 0x3453 },
      fails(ERROR_ACCESS_DENIED, null),
      'one byte more than the section → STATUS_INVALID_VIEW_SIZE (ERROR_ACCESS_DENIED)',
    ),
    setup(close('part'), 'CloseHandle(mapping)'),
  ],
};

const NEW_FILE = 'C:\\tests\\mapfile.tmp';
const EMPTY_FILE = 'C:\\tests\\mapfile2.tmp';

const mapFileCase: FidelityCase = {
  name: 'kernel32 file.c test_MapFile: mapping new and empty files',
  simulatorOnly: SIMULATED_FILES,
  rows: [
    mapFile(3211)(
      create(NEW_FILE, 'PAGE_READWRITE', 0x1000, 'h1', 'named_file_map'),
      succeeds(),
      'a 0x1000-byte named mapping of a new (empty) file works: it extends the file',
    ),
    mapFile(3213)(close('h1'), succeeds(true), 'CloseHandle(mapping)'),
    mapFile(3218)(
      create(NEW_FILE, 'PAGE_READWRITE', 0, 'h2'),
      succeeds(),
      'size 0 maps the file as it now is (0x1000 bytes)',
    ),
    mapFile(3219)(close('h2'), succeeds(true), 'CloseHandle(mapping)'),
    mapFile(3228)(
      create(EMPTY_FILE, 'PAGE_READWRITE', 0, 'h3'),
      fails(ERROR_FILE_INVALID, null),
      'an empty file with size 0 cannot be mapped: ERROR_FILE_INVALID',
    ),
    mapFile(3234)(
      create(EMPTY_FILE, 'PAGE_READWRITE', '0x800000000010000', 'h4'),
      fails(ERROR_NOT_ENOUGH_MEMORY, null),
      'a mapping of 0x800000000010000 bytes fails (ERROR_NOT_ENOUGH_MEMORY or 87)',
    ),
  ],
};

export const FILE_MAPPING: FidelityCase[] = [mapViewOfFile, mapFileCase];
