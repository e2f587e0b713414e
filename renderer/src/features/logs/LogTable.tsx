import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { StoredEvent } from '../../../../shared/contract.ts';
import { cellText, formatCount, formatTime } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { COLUMNS } from './columns.ts';
import type { ResultView } from './use-result.ts';

const ROW_HEIGHT = 26;
const TIME_WIDTH = 200;

interface Props {
  result: ResultView;
}

/**
 * The event table: only the rows in view exist in the DOM, fetched by position from the engine's
 * result handle through the page cache, so a million-row result scrolls like a hundred-row one.
 */
export function LogTable({ result }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const zone = useWorkspace((s) => s.zone);
  const cursor = useWorkspace((s) => s.cursor);
  const detailSeq = useWorkspace((s) => s.detailSeq);
  const setCursor = useWorkspace((s) => s.setCursor);
  const openDetail = useWorkspace((s) => s.openDetail);
  const order = useWorkspace((s) => s.order);
  const setOrder = useWorkspace((s) => s.setOrder);

  // The virtualizer re-renders this component itself; nothing here memoizes its functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: result.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    // One page either side of the view, so steady scrolling finds its rows already here.
    result.cache.prefetch(first - result.cache.pageSize, last + result.cache.pageSize);
  }, [result.cache, first, last]);

  useEffect(() => {
    if (cursor < result.count) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, result.count, virtualizer]);

  return (
    <div className="log-table" role="grid" aria-rowcount={result.count} aria-label="Events">
      <div className="log-header" role="row">
        <button
          type="button"
          className="log-cell log-time sortable"
          style={{ width: TIME_WIDTH }}
          onClick={() => setOrder(order === 'desc' ? 'asc' : 'desc')}
          title="Sort by time"
        >
          Time {order === 'desc' ? '↓' : '↑'}
        </button>
        {COLUMNS.map((column) => (
          <div key={column.id} className="log-cell" role="columnheader" style={columnStyle(column.width)}>
            {column.label}
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="log-body" tabIndex={-1}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const event = result.cache.row(item.index);
            return (
              <Row
                key={item.key}
                position={item.index}
                top={item.start}
                event={event}
                zone={zone}
                active={item.index === cursor}
                open={event !== undefined && event.seq === detailSeq}
                onSelect={() => {
                  setCursor(item.index);
                  if (event) openDetail(event.seq);
                }}
              />
            );
          })}
        </div>
      </div>
      <div className="log-footer">
        {result.count === 0 ? 'No events match' : `${formatCount(result.count)} events`}
      </div>
    </div>
  );
}

interface RowProps {
  position: number;
  top: number;
  event: StoredEvent | undefined;
  zone: string;
  active: boolean;
  open: boolean;
  onSelect(): void;
}

function Row({ position, top, event, zone, active, open, onSelect }: RowProps) {
  const className = `log-row${active ? ' active' : ''}${open ? ' open' : ''}${event ? '' : ' pending'}`;
  return (
    <div
      className={className}
      role="row"
      aria-rowindex={position + 1}
      aria-selected={active}
      data-seq={event?.seq}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={onSelect}
    >
      <div className="log-cell log-time" role="gridcell" style={{ width: TIME_WIDTH }}>
        {event ? formatTime(event.time, zone) : ''}
      </div>
      {COLUMNS.map((column) => {
        const text = event ? cellText(column.value(event)) : '';
        return (
          <div
            key={column.id}
            role="gridcell"
            className={`log-cell${column.id === 'outcome' ? ` outcome-${text}` : ''}`}
            style={columnStyle(column.width)}
            title={text}
          >
            {text}
          </div>
        );
      })}
    </div>
  );
}

function columnStyle(width: number): React.CSSProperties {
  return width === 0 ? { flex: '1 1 0', minWidth: 160 } : { width, flex: 'none' };
}
