/** Lessons on heaps, memory-mapped files and copy-on-write, and the allocators side by side. */
import type { Lesson } from './lesson';

export const HEAPS: Lesson = {
  id: 'heaps',
  title: { en: 'The default heap and private heaps', ko: '기본 힙과 전용 힙' },
  intro: {
    en: 'Every process has a default heap. A private heap (HeapCreate) keeps one data structure apart, and HeapDestroy frees all of it at once: no walk through a linked list freeing node by node.',
    ko: '모든 프로세스에는 기본 힙이 있습니다. 전용 힙(HeapCreate)은 한 자료구조를 따로 담아 두며, HeapDestroy 한 번으로 전부 해제됩니다. 연결 리스트를 돌며 노드마다 해제할 필요가 없습니다.',
  },
  steps: [
    {
      step: { op: 'GetProcessHeap', as: 'defaultHeap' },
      text: {
        en: 'The default heap already exists; GetProcessHeap returns its handle.',
        ko: '기본 힙은 이미 있습니다. GetProcessHeap이 그 핸들을 돌려줍니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'HeapCreate', options: 0, initialSize: 0, maximumSize: 0, as: 'list' },
      text: {
        en: 'Create a private, growable heap for a linked list. Its first segment appears in the grid: reserved, with a committed head.',
        ko: '연결 리스트를 위한 확장 가능한 전용 힙을 만듭니다. 첫 세그먼트가 격자에 나타납니다. 예약되어 있고 앞부분만 커밋되어 있습니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'HeapAlloc', heap: 'list', size: 24, as: 'node1' },
      text: {
        en: 'Allocate the first node (24 bytes). A heap block is small and not page-aligned: the heap carves it out of pages it committed.',
        ko: '첫 노드(24바이트)를 할당합니다. 힙 블록은 작고 페이지에 정렬되지 않습니다. 힙이 커밋해 둔 페이지에서 잘라 줍니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'HeapAlloc', heap: 'list', size: 24, as: 'node2' },
      text: {
        en: 'The second node sits right after the first, plus the block header.',
        ko: '두 번째 노드는 첫 노드 바로 뒤, 블록 헤더만큼 떨어진 곳에 놓입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'HeapAlloc', heap: 'list', size: 24, as: 'node3' },
      text: { en: 'And a third.', ko: '세 번째 노드도 마찬가지입니다.' },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'HeapWalk', heap: 'list' },
      text: {
        en: 'HeapWalk lists the heap: the region, the three busy nodes, and the free rest.',
        ko: 'HeapWalk로 힙을 훑어보면 영역, 사용 중인 노드 셋, 나머지 빈 블록이 보입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'HeapDestroy', heap: 'list' },
      text: {
        en: 'HeapDestroy releases the whole heap, every node with it, in one call. Its pages leave the grid.',
        ko: 'HeapDestroy 한 번으로 힙 전체와 모든 노드가 해제됩니다. 그 페이지들이 격자에서 사라집니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'HeapAlloc', heap: 'defaultHeap', size: 24 },
      text: {
        en: 'The default heap is untouched and still serves allocations.',
        ko: '기본 힙은 영향을 받지 않고 계속 할당을 처리합니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
  ],
};

export const MAPPED_FILES: Lesson = {
  id: 'mmf-copy-on-write',
  title: { en: 'Memory-mapped files and copy-on-write', ko: '메모리 맵 파일과 copy-on-write' },
  intro: {
    en: 'A file mapping (section) is memory several views share: a write through one view is seen through the others. A FILE_MAP_COPY view is different: the first write to a page gives that view a private copy.',
    ko: '파일 매핑(섹션)은 여러 뷰가 공유하는 메모리입니다. 한 뷰로 쓴 내용이 다른 뷰에서도 보입니다. FILE_MAP_COPY 뷰는 다릅니다. 페이지에 처음 쓰는 순간 그 뷰만의 사본이 생깁니다.',
  },
  steps: [
    {
      step: {
        op: 'CreateFileMapping',
        protect: 'PAGE_READWRITE',
        size: '0x10000',
        name: 'Local\\Lesson',
        as: 'section',
      },
      text: {
        en: 'Create a 64 KiB pagefile-backed section with a name, so other processes could open it.',
        ko: '이름 있는 64 KiB 섹션을 페이지 파일 기반으로 만듭니다. 다른 프로세스도 이름으로 열 수 있습니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'MapViewOfFile', handle: 'section', access: 'FILE_MAP_WRITE', as: 'writer' },
      text: {
        en: 'Map a read-write view: a mapped allocation appears in the grid.',
        ko: '읽기/쓰기 뷰를 매핑하면 격자에 매핑된 할당이 나타납니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'MapViewOfFile', handle: 'section', access: 'FILE_MAP_READ', as: 'reader' },
      text: {
        en: 'Map a second, read-only view of the same section at another address.',
        ko: '같은 섹션의 두 번째 읽기 전용 뷰를 다른 주소에 매핑합니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'writer', size: 4 },
      text: {
        en: 'Write through the first view: the section page itself is written.',
        ko: '첫 번째 뷰로 씁니다. 섹션의 페이지 자체가 바뀝니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Read', address: 'reader', size: 4 },
      text: {
        en: 'Read through the second view: the same physical page, found in memory (a soft fault), with the data just written.',
        ko: '두 번째 뷰로 읽습니다. 같은 물리 페이지가 메모리에 있으므로(소프트 폴트) 방금 쓴 데이터가 보입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'Write', address: 'reader', size: 4 },
      text: {
        en: 'The read-only view refuses a write: an access violation.',
        ko: '읽기 전용 뷰로 쓰려 하면 접근 위반이 납니다.',
      },
      expect: 'EXCEPTION_ACCESS_VIOLATION',
      focus: 'result',
    },
    {
      step: { op: 'MapViewOfFile', handle: 'section', access: 'FILE_MAP_COPY', as: 'copy' },
      text: {
        en: 'Map a copy-on-write view: its pages are PAGE_WRITECOPY, and its whole size is charged to commit now, in case every page gets copied.',
        ko: 'copy-on-write 뷰를 매핑합니다. 페이지는 PAGE_WRITECOPY이고, 모든 페이지가 복사될 경우에 대비해 크기 전체가 지금 커밋으로 잡힙니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
    {
      step: { op: 'Write', address: 'copy', size: 4 },
      text: {
        en: 'Write the copy view: that one page becomes a private copy (PAGE_READWRITE); the section and the other views do not see it.',
        ko: '사본 뷰에 씁니다. 그 페이지 하나만 개인 사본(PAGE_READWRITE)이 되고, 섹션과 다른 뷰에는 보이지 않습니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'VirtualQuery', address: 'copy+0x1000' },
      text: {
        en: 'The next page of the copy view was never written: still PAGE_WRITECOPY, still shared.',
        ko: '사본 뷰의 다음 페이지는 쓴 적이 없으므로 여전히 PAGE_WRITECOPY이며 공유 상태입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
  ],
};

export const ALLOCATORS: Lesson = {
  id: 'allocators',
  title: {
    en: 'Global/Local/malloc vs HeapAlloc vs VirtualAlloc',
    ko: 'Global/Local/malloc, HeapAlloc, VirtualAlloc 비교',
  },
  intro: {
    en: 'GlobalAlloc, LocalAlloc and the C runtime’s malloc all end up in a heap (the default process heap), which carves small blocks out of pages it got from VirtualAlloc. VirtualAlloc itself hands out whole pages in 64 KiB-aligned reservations.',
    ko: 'GlobalAlloc, LocalAlloc, C 런타임의 malloc은 모두 결국 힙(기본 프로세스 힙)에서 할당합니다. 힙은 VirtualAlloc으로 얻은 페이지를 작은 블록으로 잘라 줍니다. VirtualAlloc 자체는 64 KiB에 정렬된 예약 안에서 페이지 단위로 내줍니다.',
  },
  steps: [
    {
      step: { op: 'GetProcessHeap', as: 'heap' },
      text: {
        en: 'malloc, LocalAlloc and GlobalAlloc use the default heap: take its handle to play their part.',
        ko: 'malloc, LocalAlloc, GlobalAlloc은 기본 힙을 씁니다. 그 역할을 하도록 핸들을 얻습니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'HeapAlloc', heap: 'heap', size: 16, as: 'small' },
      text: {
        en: '16 bytes from the heap (what malloc(16) does): an address inside a heap page, aligned to 16 bytes only.',
        ko: '힙에서 16바이트를 받습니다(malloc(16)이 하는 일). 힙 페이지 안의 주소이고, 16바이트 정렬일 뿐입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'HeapSize', heap: 'heap', address: 'small' },
      text: {
        en: 'The block holds exactly what was asked; its header and alignment are the heap’s overhead, a few bytes per block.',
        ko: '블록 크기는 요청한 그대로입니다. 헤더와 정렬은 블록마다 몇 바이트의 힙 오버헤드입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: {
        op: 'VirtualAlloc',
        size: 16,
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'page',
      },
      text: {
        en: 'The same 16 bytes from VirtualAlloc: a whole 4 KiB page committed, and a whole 64 KiB granule of addresses taken.',
        ko: '같은 16바이트를 VirtualAlloc으로 받으면 4 KiB 페이지 하나가 통째로 커밋되고 64 KiB 주소 단위 하나가 통째로 쓰입니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'GetProcessMemoryInfo' },
      text: {
        en: 'Compare the costs: the heap block cost nothing new, the page cost 4 KiB of commit. Use VirtualAlloc for large or page-grained memory, a heap for many small objects.',
        ko: '비용을 비교해 보세요. 힙 블록은 새 비용이 없었고, 페이지는 커밋 4 KiB를 썼습니다. 크거나 페이지 단위로 다룰 메모리는 VirtualAlloc, 작은 객체가 많다면 힙이 알맞습니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
  ],
};
