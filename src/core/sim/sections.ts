/**
 * Section objects (file mappings) on a simulated machine: backed by a simulated file or by the
 * pagefile, optionally named so other processes can open them. A section's pages are PhysicalPages
 * shared by every view of it: touched once, resident once, in as many working sets as touch them.
 *
 * A section lives while a handle or a view refers to it; its name lives while a handle does (Wine
 * test_MapViewOfFile: after the handles close, OpenFileMapping fails with ERROR_FILE_NOT_FOUND
 * while the view still works).
 */
import { FILE_MAP_FLAGS, PAGE_FLAGS as P } from '../../shared/winConstants';
import { PAGE_SIZE, USER_END } from './layout';
import { PhysicalPage, type Machine } from './machine';
import { failure, success, type WinResult } from './results';

export const FILE_MAP = FILE_MAP_FLAGS;

/** CreateFileMapping's page protections (section protections). */
/** The largest file section the simulator makes: the size of the user address space. */
const MAX_FILE_BYTES = Number(USER_END);

const SECTION_PROTECTIONS = new Set<number>([
  P.PAGE_READONLY,
  P.PAGE_READWRITE,
  P.PAGE_WRITECOPY,
  P.PAGE_EXECUTE_READ,
  P.PAGE_EXECUTE_READWRITE,
  P.PAGE_EXECUTE_WRITECOPY,
]);

export class Section {
  handles = 0;
  views = 0;
  readonly physical = new Map<number, PhysicalPage>();

  constructor(
    readonly id: number,
    readonly name: string | null,
    readonly pages: number,
    readonly protect: number,
    /** The simulated file's path; null for a pagefile-backed section. */
    readonly file: string | null,
    /** An image section (SEC_IMAGE): mapped as MEM_IMAGE, shared by every process loading the file. */
    readonly image = false,
    /**
     * The size NtQuerySection reports, which a view may not pass: a file-backed section's bytes
     * exactly, a pagefile-backed one's in whole pages (Wine kernel32 virtual.c:1276 and 1297
     * test_MapViewOfFile, at a4171c82).
     */
    readonly bytes = pages * PAGE_SIZE,
  ) {}

  get size(): number {
    return this.pages * PAGE_SIZE;
  }

  /** The shared physical page for page `index` of the section. */
  page(index: number): PhysicalPage {
    let page = this.physical.get(index);
    if (!page) {
      page = new PhysicalPage({
        kind: 'section',
        sectionId: this.id,
        index,
        file: this.file !== null,
      });
      this.physical.set(index, page);
    }
    return page;
  }
}

export interface CreatedSection {
  section: Section;
  /** A named section that existed already: CreateFileMapping returns it and sets ERROR_ALREADY_EXISTS. */
  alreadyExists: boolean;
}

/** The machine's section objects, its namespace of names, and its simulated files (path → size). */
export class SectionTable {
  private readonly byName = new Map<string, Section>();
  /** Image sections by file: the loader reuses them, so every process shares one copy of a DLL's pages. */
  private readonly images = new Map<string, Section>();
  private readonly live = new Set<Section>();
  readonly files = new Map<string, number>();
  private nextId = 1;

  constructor(private readonly machine: Machine) {}

  all(): Section[] {
    return [...this.live];
  }

  /**
   * CreateFileMapping. A pagefile-backed section needs a size > 0 (87) and charges its commit now
   * (ERROR_COMMITMENT_LIMIT when it cannot); a file-backed one defaults to the file's size and grows
   * a writable file to the size asked for.
   */
  create(
    file: string | null,
    protect: number,
    size: number,
    name: string | null,
  ): WinResult<CreatedSection> {
    if (!SECTION_PROTECTIONS.has(protect)) return failure('ERROR_INVALID_PARAMETER');
    if (name !== null) {
      const existing = this.byName.get(name);
      if (existing) {
        existing.handles++;
        return success({ section: existing, alreadyExists: true });
      }
    }
    let bytes = size;
    if (file === null) {
      if (size <= 0) return failure('ERROR_INVALID_PARAMETER');
    } else {
      const fileSize = this.files.get(file) ?? 0;
      if (bytes === 0) bytes = fileSize;
      // An empty file cannot be mapped with size 0 (Wine kernel32 file.c test_MapFile: ERROR_FILE_INVALID).
      if (bytes === 0) return failure('ERROR_FILE_INVALID');
      // No file grows past the user address space: the simulator's line for test_MapFile's
      // 0x800000000010000-byte mapping, which Windows refuses with 8 (or 87).
      if (bytes > MAX_FILE_BYTES) return failure('ERROR_NOT_ENOUGH_MEMORY');
      if (bytes > fileSize) {
        // Only a writable mapping may extend the file (CreateFileMapping docs).
        if (protect === P.PAGE_READONLY || protect === P.PAGE_EXECUTE_READ)
          return failure('ERROR_ACCESS_DENIED');
        this.files.set(file, bytes);
      }
    }
    const pages = Math.ceil(bytes / PAGE_SIZE);
    if (file === null && !this.machine.charge(pages)) return failure('ERROR_COMMITMENT_LIMIT');
    const section = new Section(
      this.nextId++,
      name,
      pages,
      protect,
      file,
      false,
      file === null ? pages * PAGE_SIZE : bytes,
    );
    section.handles = 1;
    this.live.add(section);
    if (name !== null) this.byName.set(name, section);
    return success({ section, alreadyExists: false });
  }

  /** The image section for `path` (made on first use); each mapping of it counts as a view. */
  image(path: string, pages: number): Section {
    let section = this.images.get(path);
    if (!section) {
      section = new Section(this.nextId++, null, pages, P.PAGE_EXECUTE_WRITECOPY, path, true);
      // The loader's cache holds image sections: they outlive the processes that map them.
      section.handles = 1;
      this.images.set(path, section);
      this.live.add(section);
      if (!this.files.has(path)) this.files.set(path, pages * PAGE_SIZE);
    }
    return section;
  }

  /** OpenFileMapping: a name nobody holds a handle to → ERROR_FILE_NOT_FOUND. */
  open(name: string): WinResult<Section> {
    const section = this.byName.get(name);
    if (!section) return failure('ERROR_FILE_NOT_FOUND');
    section.handles++;
    return success(section);
  }

  closeHandle(section: Section): void {
    section.handles--;
    if (section.handles === 0 && section.name !== null && this.byName.get(section.name) === section)
      this.byName.delete(section.name);
    this.collect(section);
  }

  unmapped(section: Section): void {
    section.views--;
    this.collect(section);
  }

  /** No handle and no view: the section and its pages are gone (dirty file pages are written first). */
  private collect(section: Section): void {
    if (section.handles > 0 || section.views > 0) return;
    for (const page of section.physical.values()) {
      this.machine.flushToFile(page);
      this.machine.discard(page);
    }
    if (section.file === null) this.machine.uncharge(section.pages);
    this.live.delete(section);
  }
}

const tables = new WeakMap<Machine, SectionTable>();

/** The section table of a machine (one per machine, shared by all its processes). */
export function sectionsOf(machine: Machine): SectionTable {
  let table = tables.get(machine);
  if (!table) {
    table = new SectionTable(machine);
    tables.set(machine, table);
  }
  return table;
}

/**
 * The page protection of a view mapped with `access` from a section with `protect`, or the error:
 * FILE_MAP_WRITE needs a read-write section; FILE_MAP_COPY works on any (MapViewOfFile docs; Wine
 * test_MapViewOfFile); access 0 gives a PAGE_NOACCESS view.
 */
export function viewProtection(access: number, sectionProtect: number): WinResult<number> {
  const execute = (access & FILE_MAP.FILE_MAP_EXECUTE) !== 0;
  const sectionExecutes = sectionProtect >= P.PAGE_EXECUTE_READ;
  if (execute && !sectionExecutes) return failure('ERROR_ACCESS_DENIED');
  const writable =
    sectionProtect === P.PAGE_READWRITE || sectionProtect === P.PAGE_EXECUTE_READWRITE;
  if (access & FILE_MAP.FILE_MAP_COPY && !(access & FILE_MAP.FILE_MAP_WRITE)) {
    return success(execute ? P.PAGE_EXECUTE_WRITECOPY : P.PAGE_WRITECOPY);
  }
  if (access & FILE_MAP.FILE_MAP_WRITE) {
    if (!writable) return failure('ERROR_ACCESS_DENIED');
    return success(execute ? P.PAGE_EXECUTE_READWRITE : P.PAGE_READWRITE);
  }
  if (access & FILE_MAP.FILE_MAP_READ)
    return success(execute ? P.PAGE_EXECUTE_READ : P.PAGE_READONLY);
  // No view access at all maps a PAGE_NOACCESS view (Wine test_MapViewOfFile: "MapViewOfFile NO_ACCESS").
  return success(P.PAGE_NOACCESS);
}

/** Gives a copied machine its copied section table (the sandbox's checkpoints copy a whole simulation). */
export function adoptSections(machine: Machine, table: SectionTable): void {
  tables.set(machine, table);
}
