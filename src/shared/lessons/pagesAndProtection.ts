/** Lessons on page states, protection and guard pages, DEP, the working set, and leaks. */
import type { Lesson } from './lesson';

const MiB = 1024 * 1024;

export const PAGE_STATES: Lesson = {
  id: 'page-states',
  title: { en: 'Page states', ko: '페이지 상태' },
  intro: {
    en: 'Beyond free, reserved and committed, a committed page has a physical life: untouched (demand-zero), in the working set, then on the modified list (dirty) or the standby list (clean) once trimmed, and back by a soft fault.',
    ko: 'free, reserved, committed 외에도 커밋된 페이지에는 물리적인 생애가 있습니다. 아직 건드리지 않음(demand-zero), 워킹 셋 안, 잘려 나간 뒤에는 수정 리스트(dirty)나 대기 리스트(clean), 그리고 소프트 폴트로 돌아옴.',
  },
  steps: [
    {
      step: {
        op: 'VirtualAlloc',
        size: '0x10000',
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'a',
      },
      text: {
        en: 'Commit 16 pages. None has a physical frame yet: committed but untouched (demand-zero).',
        ko: '16페이지를 커밋합니다. 아직 물리 프레임이 없습니다. 커밋되었지만 건드리지 않은(demand-zero) 상태입니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'a', size: '0x4000' },
      text: {
        en: 'Write 4 pages: they get zeroed frames, join the working set and are dirty (the marks in the grid).',
        ko: '4페이지에 씁니다. 0으로 채운 프레임을 받아 워킹 셋에 들어가고 dirty 상태가 됩니다(격자의 표시).',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Read', address: 'a+0x4000', size: '0x4000' },
      text: {
        en: 'Read the next 4: they are resident too, but clean (nothing was written).',
        ko: '다음 4페이지를 읽습니다. 역시 메모리에 올라오지만 clean 상태입니다(쓴 것이 없으므로).',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'EmptyWorkingSet' },
      text: {
        en: 'Trim the working set: the dirty pages go to the modified list, the clean ones to the standby list. Watch the machine’s lists.',
        ko: '워킹 셋을 비웁니다. dirty 페이지는 수정 리스트로, clean 페이지는 대기 리스트로 갑니다. 머신의 리스트를 보세요.',
      },
      expect: 'ok',
      focus: 'machine',
    },
    {
      step: { op: 'Read', address: 'a', size: '0x8000' },
      text: {
        en: 'Touch them again: each comes back from its list by a soft fault, without reading the disk.',
        ko: '다시 건드리면 각 페이지가 디스크를 읽지 않고 소프트 폴트로 리스트에서 돌아옵니다.',
      },
      expect: 'ok',
      focus: 'machine',
    },
    {
      step: { op: 'VirtualQuery', address: 'a+0x8000' },
      text: {
        en: 'To VirtualQuery every page is simply MEM_COMMIT: the physical state is the memory manager’s business.',
        ko: 'VirtualQuery에게는 모든 페이지가 그냥 MEM_COMMIT입니다. 물리적 상태는 메모리 관리자의 몫입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
  ],
};

export const PROTECTION: Lesson = {
  id: 'protection-guard',
  title: { en: 'Memory protection and guard pages', ko: '메모리 보호와 가드 페이지' },
  intro: {
    en: 'Each committed page has a protection. A forbidden access raises an access violation; a guard page raises a one-shot STATUS_GUARD_PAGE_VIOLATION, which is how thread stacks grow.',
    ko: '커밋된 페이지마다 보호 속성이 있습니다. 금지된 접근은 접근 위반을 일으키고, 가드 페이지는 한 번만 STATUS_GUARD_PAGE_VIOLATION을 일으킵니다. 스레드 스택이 자라는 방식입니다.',
  },
  steps: [
    {
      step: {
        op: 'VirtualAlloc',
        size: '0x3000',
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READONLY',
        as: 'p',
      },
      text: {
        en: 'Commit three read-only pages.',
        ko: '읽기 전용 페이지 세 개를 커밋합니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'p', size: 4 },
      text: {
        en: 'Writing a read-only page is an access violation.',
        ko: '읽기 전용 페이지에 쓰면 접근 위반입니다.',
      },
      expect: 'EXCEPTION_ACCESS_VIOLATION',
      focus: 'result',
    },
    {
      step: { op: 'VirtualProtect', address: 'p', size: '0x1000', protect: 'PAGE_READWRITE' },
      text: {
        en: 'VirtualProtect returns TRUE and writes the old protection (PAGE_READONLY) to its out-parameter.',
        ko: 'VirtualProtect는 TRUE를 돌려주고, 이전 보호 속성(PAGE_READONLY)을 출력 매개변수에 씁니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'p', size: 4 },
      text: { en: 'Now the write succeeds.', ko: '이제 쓰기가 성공합니다.' },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: {
        op: 'VirtualProtect',
        address: 'p+0x2000',
        size: '0x1000',
        protect: 'PAGE_READWRITE|PAGE_GUARD',
      },
      text: {
        en: 'Make the last page a read-write guard page (dashed outline).',
        ko: '마지막 페이지를 읽기/쓰기 가드 페이지로 만듭니다(점선 테두리).',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'p+0x2000', size: 4 },
      text: {
        en: 'The first touch raises STATUS_GUARD_PAGE_VIOLATION and clears the guard: a stack would now commit its next page.',
        ko: '처음 건드리면 STATUS_GUARD_PAGE_VIOLATION이 나고 가드가 풀립니다. 스택이라면 여기서 다음 페이지를 커밋합니다.',
      },
      expect: 'STATUS_GUARD_PAGE_VIOLATION',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'p+0x2000', size: 4 },
      text: {
        en: 'The same write succeeds the second time: the guard was one-shot.',
        ko: '같은 쓰기가 두 번째에는 성공합니다. 가드는 한 번만 작동합니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: {
        op: 'VirtualProtect',
        address: 'p',
        size: '0x1000',
        protect: 'PAGE_READONLY',
        oldProtect: null,
      },
      text: {
        en: 'lpflOldProtect must not be NULL: VirtualProtect fails with ERROR_NOACCESS and changes nothing.',
        ko: 'lpflOldProtect는 NULL이면 안 됩니다. VirtualProtect가 ERROR_NOACCESS로 실패하고 아무것도 바꾸지 않습니다.',
      },
      expect: 'ERROR_NOACCESS',
      focus: 'result',
    },
  ],
};

export const DEP: Lesson = {
  id: 'dep',
  title: { en: 'Data Execution Prevention (DEP)', ko: '데이터 실행 방지(DEP)' },
  intro: {
    en: 'With DEP, only pages whose protection includes EXECUTE may run code. Data pages (read-write) cannot be executed, so code injected as data does not run.',
    ko: 'DEP가 켜져 있으면 보호 속성에 EXECUTE가 있는 페이지에서만 코드를 실행할 수 있습니다. 읽기/쓰기 데이터 페이지는 실행할 수 없으므로, 데이터로 주입한 코드는 실행되지 않습니다.',
  },
  steps: [
    {
      step: {
        op: 'VirtualAlloc',
        size: '0x1000',
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'code',
      },
      text: {
        en: 'A read-write page: a buffer for code we are about to generate.',
        ko: '읽기/쓰기 페이지 하나. 곧 생성할 코드를 담을 버퍼입니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Write', address: 'code', size: 16 },
      text: { en: 'Write the code bytes.', ko: '코드 바이트를 씁니다.' },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Execute', address: 'code' },
      text: {
        en: 'Calling into it is an access violation on execute: DEP at work.',
        ko: '그곳을 호출하면 실행 접근 위반이 납니다. DEP가 동작한 것입니다.',
      },
      expect: 'EXCEPTION_ACCESS_VIOLATION',
      focus: 'result',
    },
    {
      step: { op: 'VirtualProtect', address: 'code', size: '0x1000', protect: 'PAGE_EXECUTE_READ' },
      text: {
        en: 'A JIT switches the page to PAGE_EXECUTE_READ once the code is written (never writable and executable at once).',
        ko: 'JIT는 코드를 다 쓴 뒤 페이지를 PAGE_EXECUTE_READ로 바꿉니다(쓰기와 실행을 동시에 허용하지 않음).',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'Execute', address: 'code' },
      text: { en: 'Now the call runs.', ko: '이제 호출이 실행됩니다.' },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'Write', address: 'code', size: 4 },
      text: {
        en: 'And the code can no longer be overwritten: a write is an access violation.',
        ko: '그리고 코드는 더 이상 덮어쓸 수 없습니다. 쓰기는 접근 위반입니다.',
      },
      expect: 'EXCEPTION_ACCESS_VIOLATION',
      focus: 'result',
    },
  ],
};

export const WORKING_SET: Lesson = {
  id: 'working-set',
  title: {
    en: 'Working set, soft and hard faults, trimming and standby',
    ko: '워킹 셋, 소프트/하드 폴트, 트리밍과 대기 리스트',
  },
  intro: {
    en: 'The working set is the set of a process’s pages in RAM. On a small machine, writing more than fits trims old pages to the modified list and the pagefile; reading them back is a hard fault, while a page still on a list comes back by a soft fault.',
    ko: '워킹 셋은 프로세스의 페이지 중 RAM에 있는 것들입니다. 작은 머신에서 들어갈 수 있는 것보다 많이 쓰면 오래된 페이지가 수정 리스트와 페이지 파일로 밀려납니다. 그것을 다시 읽으면 하드 폴트, 아직 리스트에 있는 페이지는 소프트 폴트로 돌아옵니다.',
  },
  machine: { physicalMemory: 4 * MiB, pagefileSize: 16 * MiB },
  steps: [
    {
      step: {
        op: 'VirtualAlloc',
        size: '0x600000',
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'big',
      },
      text: {
        en: 'This machine has 4 MiB of RAM. Commit 6 MiB: commit is a promise backed by RAM plus pagefile, so it succeeds.',
        ko: '이 머신의 RAM은 4 MiB입니다. 6 MiB를 커밋합니다. 커밋은 RAM과 페이지 파일로 뒷받침되는 약속이므로 성공합니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
    {
      step: { op: 'Write', address: 'big', size: '0x600000' },
      text: {
        en: 'Write all 6 MiB. RAM runs out: the oldest pages are trimmed to the modified list and written to the pagefile.',
        ko: '6 MiB 전부에 씁니다. RAM이 모자라 가장 오래된 페이지가 수정 리스트로 밀려나고 페이지 파일에 기록됩니다.',
      },
      expect: 'ok',
      focus: 'machine',
    },
    {
      step: { op: 'Read', address: 'big', size: '0x10000' },
      text: {
        en: 'Read the first 64 KiB, written out long ago: hard faults, read back from the pagefile.',
        ko: '오래전에 밀려난 처음 64 KiB를 읽습니다. 페이지 파일에서 다시 읽어 오는 하드 폴트입니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
    {
      step: { op: 'EmptyWorkingSet' },
      text: {
        en: 'Trim the whole working set: the pages stay in RAM on the standby and modified lists.',
        ko: '워킹 셋 전체를 비웁니다. 페이지는 대기 리스트와 수정 리스트에 남아 RAM에 그대로 있습니다.',
      },
      expect: 'ok',
      focus: 'machine',
    },
    {
      step: { op: 'Read', address: 'big+0x5f0000', size: '0x10000' },
      text: {
        en: 'Read recent pages: they are still on a list, so they come back by soft faults, no disk read.',
        ko: '최근 페이지를 읽습니다. 아직 리스트에 있으므로 디스크 읽기 없이 소프트 폴트로 돌아옵니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
    {
      step: { op: 'GetProcessMemoryInfo' },
      text: {
        en: 'PageFaultCount counts both kinds; the working set is what is resident now.',
        ko: 'PageFaultCount는 두 종류를 모두 셉니다. 워킹 셋은 지금 메모리에 있는 양입니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
  ],
};

export const LEAK: Lesson = {
  id: 'leak',
  title: { en: 'The symptoms of a leak', ko: '메모리 누수의 증상' },
  intro: {
    en: 'A leak is memory allocated and never freed. Its symptom is private bytes (commit charge) that only go up, step after step, while the work done stays the same. Then watch a real-looking one: the simulated leakysvc.exe.',
    ko: '누수는 할당하고 해제하지 않은 메모리입니다. 증상은 하는 일은 같은데 private bytes(커밋 차지)가 단계마다 오르기만 하는 것입니다. 끝으로 시뮬레이션된 leakysvc.exe에서 실제와 비슷한 누수를 관찰합니다.',
  },
  watch: 'leakysvc.exe',
  steps: [
    {
      step: { op: 'HeapCreate', options: 0, initialSize: 0, maximumSize: 0, as: 'heap' },
      text: {
        en: 'A request handler with its own heap.',
        ko: '자기 힙을 가진 요청 처리기입니다.',
      },
      expect: 'ok',
      focus: 'grid',
    },
    {
      step: { op: 'HeapAlloc', heap: 'heap', size: '0x10000', as: 'request1' },
      text: {
        en: 'Request 1 allocates a 64 KiB buffer, and forgets to free it.',
        ko: '요청 1이 64 KiB 버퍼를 할당하고 해제하는 것을 잊습니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
    {
      step: { op: 'HeapAlloc', heap: 'heap', size: '0x10000', as: 'request2' },
      text: {
        en: 'Request 2 does the same: private bytes climb again.',
        ko: '요청 2도 똑같이 합니다. private bytes가 또 오릅니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
    {
      step: { op: 'HeapAlloc', heap: 'heap', size: '0x10000', as: 'request3' },
      text: {
        en: 'And request 3. The same work each time, and the commit only grows: the signature of a leak.',
        ko: '요청 3도 마찬가지입니다. 매번 같은 일을 하는데 커밋만 늘어납니다. 누수의 전형적인 모습입니다.',
      },
      expect: 'ok',
      focus: 'counters',
    },
    {
      step: { op: 'HeapWalk', heap: 'heap' },
      text: {
        en: 'HeapWalk finds the culprits: busy blocks nobody points to any more.',
        ko: 'HeapWalk로 범인을 찾습니다. 아무도 가리키지 않는 사용 중 블록들입니다.',
      },
      expect: 'ok',
      focus: 'result',
    },
    {
      step: { op: 'GetProcessHeaps', process: 'leakysvc.exe' },
      text: {
        en: 'The simulated machine runs leakysvc.exe, which leaks 16 KiB every tick. Its heaps are here; open its Watch view (the link below) and see private bytes rise in a straight line.',
        ko: '시뮬레이션된 머신에서는 leakysvc.exe가 틱마다 16 KiB씩 누수합니다. 그 힙들이 여기 있습니다. 아래 링크로 관찰 보기를 열어 private bytes가 직선으로 오르는 것을 보세요.',
      },
      expect: 'ok',
      focus: 'result',
    },
  ],
};
