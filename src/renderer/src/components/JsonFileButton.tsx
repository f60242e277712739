import { forwardRef, useImperativeHandle, useRef } from 'react';

export interface JsonFileButtonProps {
  label: string;
  /** The hidden input's accessible name (tests and screen readers find the picker by it). */
  inputLabel: string;
  title?: string;
  onFile: (file: File) => void;
}

/** A button that opens the file dialog for one .json file; `open()` opens it from elsewhere too. */
export const JsonFileButton = forwardRef<{ open: () => void }, JsonFileButtonProps>(
  function JsonFileButton({ label, inputLabel, title, onFile }, ref) {
    const input = useRef<HTMLInputElement>(null);
    useImperativeHandle(ref, () => ({ open: () => input.current?.click() }), []);
    return (
      <>
        <button type="button" onClick={() => input.current?.click()} title={title}>
          {label}
        </button>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label={inputLabel}
          onChange={(e) => {
            const file = e.target.files?.[0];
            // Cleared so that choosing the same file again still fires.
            e.target.value = '';
            if (file) onFile(file);
          }}
        />
      </>
    );
  },
);
