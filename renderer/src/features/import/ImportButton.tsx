import { useRef } from 'react';
import { useImports } from '../../stores/imports.ts';
import { importFiles } from './import-files.ts';

/** "Import…": the file picker (several files at once). */
export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const phase = useImports((s) => s.job?.phase);
  const busy = phase === 'uploading' || phase === 'importing';
  return (
    <>
      <button type="button" className="header-button" disabled={busy} onClick={() => input.current?.click()}>
        Import…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Choose files to import"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void importFiles(files);
        }}
      />
    </>
  );
}
