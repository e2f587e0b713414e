import { useEffect, useState } from 'react';
import { isDesktop } from '../../lib/api.ts';
import { filesInEntries, hasFolder } from './dropped-folders.ts';
import { importFiles } from './import-files.ts';

/**
 * Files and folders dragged anywhere over the window are imported into the open case. The desktop
 * app hands the engine their paths (a folder is walked there); serve mode uploads every file.
 */
export function DropZone() {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent): boolean => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const onEnter = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const onLeave = (): void => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const onOver = (e: DragEvent): void => {
      if (hasFiles(e)) e.preventDefault();
    };
    const onDrop = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      // Entries must be taken now: the drop's data is gone once this handler returns.
      const entries = [...(e.dataTransfer?.items ?? [])]
        .map((item) => item.webkitGetAsEntry())
        .filter((entry): entry is FileSystemEntry => entry !== null);
      if (isDesktop() || !hasFolder(entries)) void importFiles(files);
      else void filesInEntries(entries).then(importFiles);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  if (!over) return null;
  return (
    <div className="drop-zone" aria-hidden>
      <div>Drop audit logs to import them into this case</div>
    </div>
  );
}
