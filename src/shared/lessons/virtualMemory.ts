/** Lessons on the virtual-memory functions: reserve/commit/free, granularity, the rules, the SEH array. */
import type { Lesson } from './lesson';

export const RESERVE_COMMIT_FREE: Lesson = {
  id: 'reserve-commit-free',
  title: { en: 'Reserve, commit, free', ko: '예약, 커밋, 해제' },
  intro: {
    en: 'Every page of an address space is free, reserved or committed. Reserving claims addresses only; committing promises storage (RAM or pagefile); only touching a page brings it into RAM.',
    ko: '주소 공간의 모든 페이지는 free, reserved, committed 중 하나입니다. 예약은 주소만 차지하고, 커밋은 저장 공간(RAM 또는 페이지 파일)을 약속하며, 페이지를 실제로 건드려야 비로소 RAM에 올라옵니다.',
  },
  steps: [
    {
      step: {
        op: 'VirtualAlloc',
        size: '0x100000',
        type: 'MEM_RESERVE',
        protect: 'PAGE_NOACCESS',
        as: 'r',
      },
      text: {
        en: 'Reserve 1 MiB. The grid shows 16 rows of reserved pages: the addresses are ours, but nothing backs them yet.',
        ko: '1 MiB를 예약합니다. 격자에 예약된 페이지가 16줄 나타납니다. 주소는 우리 것이 되었지만 아직 아무것도 뒷받침하지 않습니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'GetProcessMemoryInfo' },
      text: {
        en: 'PrivateUsage (the commit charge) has not moved: a reservation costs no commit and no RAM.',
        ko: 'PrivateUsage(커밋 차지)는 그대로입니다. 예약만으로는 커밋도 RAM도 쓰지 않습니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
    {
      step: {
        op: 'VirtualAlloc',
        address: 'r',
        size: '0x40000',
        type: 'MEM_COMMIT',
        protect: 'PAGE_READWRITE',
      },
      text: {
        en: 'Commit the first 256 KiB. Four rows turn read-write, and the commit charge grows by 256 KiB, yet the working set does not: no page has been touched.',
        ko: '앞쪽 256 KiB를 커밋합니다. 네 줄이 읽기/쓰기로 바뀌고 커밋 차지가 256 KiB 늘지만, 워킹 셋은 그대로입니다. 아직 아무 페이지도 건드리지 않았기 때문입니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
    {
      step: { op: 'Write', address: 'r', size: '0x10000' },
      text: {
        en: 'Write the first 64 KiB. Each first touch is a demand-zero fault: the pages get zeroed frames and join the working set (the white dots).',
        ko: '처음 64 KiB에 씁니다. 처음 건드릴 때마다 demand-zero 폴트가 나서 0으로 채운 프레임을 받고 워킹 셋에 들어갑니다(흰 점).',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'VirtualFree', address: 'r', size: '0x40000', type: 'MEM_DECOMMIT' },
      text: {
        en: 'Decommit the 256 KiB: the pages go back to reserved, their frames are freed and the commit charge drops. The addresses stay ours.',
        ko: '256 KiB를 디커밋합니다. 페이지는 다시 예약 상태가 되고, 프레임은 반환되며 커밋 차지가 줄어듭니다. 주소는 여전히 우리 것입니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'VirtualFree', address: 'r', type: 'MEM_RELEASE' },
      text: {
        en: 'Release the reservation (size 0, the allocation base): the whole 1 MiB becomes free and disappears from the grid.',
        ko: '예약을 해제합니다(크기 0, 할당 시작 주소). 1 MiB 전체가 free가 되어 격자에서 사라집니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'VirtualQuery', address: 'r' },
      text: {
        en: 'VirtualQuery confirms it: State is MEM_FREE.',
        ko: 'VirtualQuery로 확인하면 State가 MEM_FREE입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
  ],
};

export const GRANULARITY: Lesson = {
  id: 'granularity',
  title: { en: 'Allocation granularity and page size', ko: '할당 단위와 페이지 크기' },
  intro: {
    en: 'Memory is managed in 4 KiB pages, but a reservation always starts on a 64 KiB boundary (the allocation granularity), so small VirtualAlloc calls waste address space.',
    ko: '메모리는 4 KiB 페이지 단위로 관리되지만, 예약은 항상 64 KiB 경계(할당 단위)에서 시작합니다. 그래서 작은 VirtualAlloc 호출은 주소 공간을 낭비합니다.',
  },
  steps: [
    {
      step: { op: 'GetSystemInfo' },
      text: {
        en: 'GetSystemInfo reports both numbers: dwPageSize 4096 and dwAllocationGranularity 65536.',
        ko: 'GetSystemInfo가 두 값을 알려 줍니다. dwPageSize는 4096, dwAllocationGranularity는 65536입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: {
        op: 'VirtualAlloc',
        size: 4096,
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'a',
      },
      text: {
        en: 'Allocate one page. The returned address is a multiple of 64 KiB.',
        ko: '한 페이지를 할당합니다. 돌려받은 주소는 64 KiB의 배수입니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: {
        op: 'VirtualAlloc',
        size: 4096,
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'b',
      },
      text: {
        en: 'Another page lands a whole granule further on: the 15 pages after the first one cannot be given to anybody.',
        ko: '다음 페이지는 한 할당 단위 뒤에 놓입니다. 첫 페이지 뒤의 15페이지는 누구에게도 줄 수 없습니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: {
        op: 'VirtualAlloc',
        address: 'a+0x1000',
        size: 4096,
        type: 'MEM_RESERVE',
        protect: 'PAGE_READWRITE',
      },
      text: {
        en: 'Reserving right after the first page fails: the address rounds down to the granule boundary, which is taken.',
        ko: '첫 페이지 바로 뒤를 예약하면 실패합니다. 주소가 할당 단위 경계로 내림되는데, 그곳은 이미 쓰이고 있습니다.',
      },
      expect: 'ERROR_INVALID_ADDRESS',
      focus: 'result',
    },
    {
      step: {
        op: 'VirtualAlloc',
        size: 5000,
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'c',
      },
      text: {
        en: 'Ask for 5000 bytes: the size rounds up to whole pages, so two pages are committed.',
        ko: '5000바이트를 요청하면 크기가 페이지 단위로 올림되어 두 페이지가 커밋됩니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
  ],
};

export const ALLOC_FREE_RULES: Lesson = {
  id: 'virtualalloc-rules',
  title: { en: 'VirtualAlloc and VirtualFree rules', ko: 'VirtualAlloc과 VirtualFree 규칙' },
  intro: {
    en: 'The two calls have strict rules on addresses, sizes and flags. Each broken rule is a FALSE or NULL with a GetLastError code, never a crash.',
    ko: '두 함수는 주소, 크기, 플래그에 엄격한 규칙이 있습니다. 규칙을 어기면 충돌이 아니라 FALSE나 NULL과 GetLastError 코드가 돌아옵니다.',
  },
  steps: [
    {
      step: {
        op: 'VirtualAlloc',
        size: '0x10000',
        type: 'MEM_RESERVE',
        protect: 'PAGE_NOACCESS',
        as: 'a',
      },
      text: {
        en: 'Reserve one granule to experiment on.',
        ko: '실험할 할당 단위 하나를 예약합니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: {
        op: 'VirtualAlloc',
        address: 'a+0xf000',
        size: '0x2000',
        type: 'MEM_COMMIT',
        protect: 'PAGE_READWRITE',
      },
      text: {
        en: 'Committing past the end of the reservation fails: a commit must stay inside one reserved region.',
        ko: '예약 영역의 끝을 넘어 커밋하면 실패합니다. 커밋은 하나의 예약 영역 안에 있어야 합니다.',
      },
      expect: 'ERROR_INVALID_ADDRESS',
      focus: 'result',
    },
    {
      step: {
        op: 'VirtualAlloc',
        address: 'a+0x1800',
        size: '0x1000',
        type: 'MEM_COMMIT',
        protect: 'PAGE_READWRITE',
      },
      text: {
        en: 'An unaligned commit is widened to whole pages: 0x1800..0x2800 commits both pages it touches.',
        ko: '정렬되지 않은 커밋은 페이지 단위로 넓혀집니다. 0x1800..0x2800은 걸친 두 페이지를 모두 커밋합니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'VirtualFree', address: 'a', size: '0x10000', type: 'MEM_RELEASE' },
      text: {
        en: 'MEM_RELEASE needs size 0: Windows releases the whole reservation or nothing.',
        ko: 'MEM_RELEASE는 크기가 0이어야 합니다. Windows는 예약 전체를 해제하거나 아무것도 해제하지 않습니다.',
      },
      expect: 'ERROR_INVALID_PARAMETER',
      focus: 'result',
    },
    {
      step: { op: 'VirtualFree', address: 'a+0x1000', type: 'MEM_RELEASE' },
      text: {
        en: 'MEM_RELEASE needs the allocation base, the address VirtualAlloc returned.',
        ko: 'MEM_RELEASE에는 VirtualAlloc이 돌려준 할당 시작 주소를 넘겨야 합니다.',
      },
      expect: 'ERROR_INVALID_ADDRESS',
      focus: 'result',
    },
    {
      step: { op: 'VirtualFree', address: 'a', type: 'MEM_DECOMMIT|MEM_RELEASE' },
      text: {
        en: 'Decommit and release together are not allowed: pick one.',
        ko: '디커밋과 해제를 함께 지정할 수는 없습니다. 하나만 고르세요.',
      },
      expect: 'ERROR_INVALID_PARAMETER',
      focus: 'result',
    },
    {
      step: { op: 'VirtualFree', address: 'a', type: 'MEM_RELEASE' },
      text: {
        en: 'Base address, size 0, MEM_RELEASE: the one correct way. The granule is free again.',
        ko: '시작 주소, 크기 0, MEM_RELEASE가 유일한 올바른 방법입니다. 할당 단위가 다시 free가 됩니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
  ],
};

export const DYNAMIC_ARRAY: Lesson = {
  id: 'seh-dynamic-array',
  title: { en: 'The SEH dynamic array', ko: 'SEH 동적 배열' },
  intro: {
    en: 'A classic pattern: reserve room for the largest array, commit nothing, and let each access violation past the committed end commit one more page from the exception filter, then retry.',
    ko: '고전적인 패턴입니다. 가장 큰 배열만큼 예약만 하고 커밋은 하지 않은 채, 커밋된 끝을 넘는 접근 위반이 날 때마다 예외 필터에서 한 페이지를 더 커밋하고 다시 실행합니다.',
  },
  steps: [
    {
      step: {
        op: 'VirtualAlloc',
        size: '0x3000',
        type: 'MEM_RESERVE',
        protect: 'PAGE_NOACCESS',
        as: 'array',
      },
      text: {
        en: 'Reserve room for three pages of elements. Nothing is committed.',
        ko: '원소 세 페이지 분량을 예약합니다. 커밋된 것은 없습니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'array', size: 4 },
      text: {
        en: 'The first write raises EXCEPTION_ACCESS_VIOLATION: the page is only reserved. The __except filter catches it.',
        ko: '첫 쓰기에서 EXCEPTION_ACCESS_VIOLATION이 발생합니다. 페이지가 예약만 되어 있기 때문입니다. __except 필터가 이를 잡습니다.',
      },
      expect: 'EXCEPTION_ACCESS_VIOLATION',
      focus: 'result',
    },
    {
      step: {
        op: 'VirtualAlloc',
        address: 'array',
        size: 4096,
        type: 'MEM_COMMIT',
        protect: 'PAGE_READWRITE',
      },
      text: {
        en: 'The filter commits the faulting page and returns EXCEPTION_CONTINUE_EXECUTION.',
        ko: '필터가 폴트가 난 페이지를 커밋하고 EXCEPTION_CONTINUE_EXECUTION을 돌려줍니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'array', size: 4 },
      text: {
        en: 'The write runs again and succeeds; a demand-zero fault brings the page into the working set.',
        ko: '쓰기가 다시 실행되어 성공합니다. demand-zero 폴트로 페이지가 워킹 셋에 들어옵니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'array+0x1000', size: 4 },
      text: {
        en: 'The array grows into the next page: another access violation.',
        ko: '배열이 다음 페이지로 자라면 또 접근 위반이 납니다.',
      },
      expect: 'EXCEPTION_ACCESS_VIOLATION',
      focus: 'result',
    },
    {
      step: {
        op: 'VirtualAlloc',
        address: 'array+0x1000',
        size: 4096,
        type: 'MEM_COMMIT',
        protect: 'PAGE_READWRITE',
      },
      text: {
        en: 'Commit one more page, exactly where the fault was.',
        ko: '폴트가 난 바로 그 자리에 한 페이지를 더 커밋합니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'array+0x1000', size: 4 },
      text: {
        en: 'Retried, it succeeds. Memory is committed only as far as the array has actually grown.',
        ko: '다시 실행하면 성공합니다. 메모리는 배열이 실제로 자란 만큼만 커밋됩니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
  ],
};
