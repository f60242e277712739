/**
 * Executable images (the .exe and its DLLs) as MEM_IMAGE views of image sections. An image section
 * is made once per file on a machine and shared by every process that maps the file at its
 * preferred base; its pages carry per-section protections (headers read-only, code execute-read,
 * read-only data, writable data copy-on-write). When the preferred base is taken, the image goes
 * elsewhere and the loader's relocation writes give the process private copies of the pages it
 * patched.
 */
import { PAGE_FLAGS as P } from '../../shared/winConstants';
import { PAGE_SIZE } from './layout';

export interface ImageSectionLayout {
  name: string;
  pages: number;
  protect: number;
  /** The section has base relocations: the loader writes to its pages when the image moves. */
  relocated?: boolean;
}

export interface ImageLayout {
  /** The file, e.g. C:\Windows\System32\kernel32.dll. */
  path: string;
  preferredBase: bigint;
  sections: ImageSectionLayout[];
}

/** A typical PE: one page of headers, then code, read-only data, writable data and relocations. */
export function peImage(
  path: string,
  preferredBase: bigint,
  codePages: number,
  rdataPages: number,
  dataPages: number,
): ImageLayout {
  return {
    path,
    preferredBase,
    sections: [
      { name: 'headers', pages: 1, protect: P.PAGE_READONLY },
      { name: '.text', pages: codePages, protect: P.PAGE_EXECUTE_READ, relocated: true },
      { name: '.rdata', pages: rdataPages, protect: P.PAGE_READONLY },
      { name: '.data', pages: dataPages, protect: P.PAGE_WRITECOPY, relocated: true },
      { name: '.reloc', pages: 1, protect: P.PAGE_READONLY },
    ],
  };
}

export const imagePages = (layout: ImageLayout): number =>
  layout.sections.reduce((n, s) => n + s.pages, 0);
export const imageBytes = (layout: ImageLayout): number => imagePages(layout) * PAGE_SIZE;

/** The system DLLs every simulated process loads, at their (simulated) preferred bases. */
export const SYSTEM_DLLS: ImageLayout[] = [
  peImage('C:\\Windows\\System32\\ntdll.dll', 0x7ffa_c000_0000n, 300, 100, 4),
  peImage('C:\\Windows\\System32\\kernel32.dll', 0x7ffa_b000_0000n, 120, 40, 2),
  peImage('C:\\Windows\\System32\\KernelBase.dll', 0x7ffa_a000_0000n, 500, 150, 6),
];
