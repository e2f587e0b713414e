import { useEffect, useState } from 'react';
import type { StoredEvent } from '../../../../shared/contract.ts';
import type { ImportRecord } from '../../../../shared/domain/import.ts';
import { call } from '../../lib/api.ts';
import { cellText, formatCount } from '../../lib/format.ts';
import { useImports } from '../../stores/imports.ts';

/**
 * Where the event came from, for chain of custody: the input file (its path and SHA-256 as
 * recorded when imported), and the line and byte offset of the record in it (decompressed).
 */
export function OriginRow({ event }: { event: StoredEvent }) {
  const dataVersion = useImports((s) => s.dataVersion);
  const [imports, setImports] = useState<{ version: number; list: ImportRecord[] }>();
  useEffect(() => {
    let live = true;
    call('case.imports').then(
      (list) => live && setImports({ version: dataVersion, list }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [dataVersion]);
  const origin = event.origin;
  if (!origin) return null;
  const source = imports?.list.find((i) => i.id === origin.importId);
  return (
    <>
      <dt>Origin</dt>
      <dd className="origin" title={source?.sha256 ? `SHA-256 ${source.sha256}` : undefined}>
        <span className="mono">{source ? cellText(source.path) : `import #${origin.importId}`}</span>
        <span className="muted">
          {' '}
          · line {formatCount(origin.line)} · byte {formatCount(origin.offset)}
          {source?.sha256 ? ` · SHA-256 ${source.sha256.slice(0, 12)}…` : ''}
        </span>
      </dd>
    </>
  );
}
