/**
 * A process's file-mapping API: CreateFileMapping, OpenFileMapping, MapViewOfFile(Ex),
 * UnmapViewOfFile, FlushViewOfFile and CloseHandle over the machine's section table. Handles are
 * per process; the sections behind them are the machine's, so two processes that create or open
 * the same name share one section and its physical pages.
 */
import { GRANULARITY, PAGE_SIZE } from './layout';
import type { VirtualMemory } from './virtualMemory';
import { failure, success, type WinResult } from './results';
import { FILE_MAP, sectionsOf, viewProtection, type Section, type SectionTable } from './sections';

/** Handle values as Windows hands them out: small multiples of 4. */
const FIRST_HANDLE = 0x100;

export interface MappingHandle {
  handle: number;
  /** CreateFileMapping found the name taken: it returned the existing section and set ERROR_ALREADY_EXISTS. */
  alreadyExists: boolean;
}

/** A handle: the section and the access it was opened with (CreateFileMapping's handles have all of it). */
interface MappingEntry {
  section: Section;
  access: number;
}

/**
 * The handle right a view needs: FILE_MAP_WRITE for a writable view, FILE_MAP_READ for every other
 * (read, copy, or none). Wine test_MapViewOfFile: a FILE_MAP_READ handle cannot map FILE_MAP_WRITE,
 * a FILE_MAP_WRITE handle cannot map FILE_MAP_READ, a handle with no rights cannot map at all (5).
 */
const neededRight = (access: number): number =>
  access & FILE_MAP.FILE_MAP_WRITE ? FILE_MAP.FILE_MAP_WRITE : FILE_MAP.FILE_MAP_READ;

export class ProcessMappings {
  private readonly handles = new Map<number, MappingEntry>();
  private nextHandle = FIRST_HANDLE;
  private readonly table: SectionTable;

  constructor(private readonly process: VirtualMemory) {
    this.table = sectionsOf(process.machine);
  }

  private issue(section: Section, access: number): number {
    const handle = this.nextHandle;
    this.nextHandle += 4;
    this.handles.set(handle, { section, access });
    return handle;
  }

  /** `file` null is INVALID_HANDLE_VALUE: a pagefile-backed section. */
  create(
    file: string | null,
    protect: number,
    size: number,
    name: string | null,
  ): WinResult<MappingHandle> {
    const r = this.table.create(file, protect, size, name);
    if (!r.ok) return r;
    return success({
      handle: this.issue(r.value.section, FILE_MAP.FILE_MAP_ALL_ACCESS),
      alreadyExists: r.value.alreadyExists,
    });
  }

  /** OpenFileMapping: the handle carries `access`, which limits the views it can map. */
  open(access: number, name: string): WinResult<number> {
    const r = this.table.open(name);
    return r.ok ? success(this.issue(r.value, access)) : r;
  }

  close(handle: number): WinResult<true> {
    const entry = this.handles.get(handle);
    if (!entry) return failure('ERROR_INVALID_HANDLE');
    this.handles.delete(handle);
    this.table.closeHandle(entry.section);
    return success(true);
  }

  /**
   * MapViewOfFileEx. The offset must be a multiple of the allocation granularity
   * (ERROR_MAPPED_ALIGNMENT, MapViewOfFile docs); size 0 maps to the end of the section; a view
   * past the section's size (NtQuerySection's: a file-backed section's bytes) fails with
   * STATUS_INVALID_VIEW_SIZE, ERROR_ACCESS_DENIED (Wine kernel32 virtual.c:1286@a4171c82: one byte
   * past a 0x3452-byte section; ntdll error.h maps the status to 5).
   */
  map(
    handle: number,
    access: number,
    offset: number,
    size: number,
    address: bigint | null,
  ): WinResult<bigint> {
    const entry = this.handles.get(handle);
    if (!entry) return failure('ERROR_INVALID_HANDLE');
    const { section } = entry;
    const right = neededRight(access);
    if ((entry.access & right) !== right) return failure('ERROR_ACCESS_DENIED');
    const protect = viewProtection(access, section.protect);
    if (!protect.ok) return protect;
    if (offset % Number(GRANULARITY) !== 0) return failure('ERROR_MAPPED_ALIGNMENT');
    if (offset >= section.bytes) return failure('ERROR_ACCESS_DENIED');
    if (size !== 0 && offset + size > section.bytes) return failure('ERROR_ACCESS_DENIED');
    const bytes = size === 0 ? section.size - offset : size;
    return this.process.mapView(
      section,
      offset / PAGE_SIZE,
      Math.ceil(bytes / PAGE_SIZE),
      protect.value,
      address,
    );
  }
}
