import { useState } from 'react';
import { useColumns } from '../../stores/columns.ts';
import { columnLabel } from './columns.ts';

/** Show or hide columns, add a column for any raw field path, or go back to the default layout. */
export function ColumnsMenu({ onClose }: { onClose(): void }) {
  const layout = useColumns((s) => s.layout);
  const toggle = useColumns((s) => s.toggle);
  const remove = useColumns((s) => s.remove);
  const addRawPath = useColumns((s) => s.addRawPath);
  const reset = useColumns((s) => s.reset);
  const [path, setPath] = useState('');
  const [bad, setBad] = useState(false);
  return (
    <div className="columns-menu" role="dialog" aria-label="Columns">
      <ul>
        {layout.map((column) => (
          <li key={column.id}>
            <label>
              <input type="checkbox" checked={!column.hidden} onChange={() => toggle(column.id)} />
              {columnLabel(column.id)}
            </label>
            {column.id.startsWith('raw:') && (
              <button
                type="button"
                className="text-button"
                aria-label={`Remove ${columnLabel(column.id)}`}
                onClick={() => remove(column.id)}
              >
                remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const ok = addRawPath(path);
          setBad(!ok);
          if (ok) setPath('');
        }}
      >
        <input
          aria-label="Raw field path"
          placeholder="raw field, e.g. userIdentity.arn"
          value={path}
          aria-invalid={bad}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit">Add</button>
      </form>
      <footer>
        <button type="button" className="text-button" onClick={reset}>
          Default layout
        </button>
        <button type="button" className="text-button" onClick={onClose}>
          Done
        </button>
      </footer>
    </div>
  );
}
