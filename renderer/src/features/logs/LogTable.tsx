import { useVirtualizer } from '@tanstack/react-virtual';
import { useLive } from '../../stores/live.ts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StoredEvent } from '../../../../shared/contract.ts';
import { cellText, formatCount, formatTime, safeTagColor } from '../../lib/format.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { columnsOf, type Column } from './columns.ts';
import { ColumnsMenu } from './ColumnsMenu.tsx';
import { CellMenu, type CellTarget } from './CellMenu.tsx';
import { useColumns } from '../../stores/columns.ts';
import { useMarks } from '../../stores/marks.ts';
import type { ResultView } from './use-result.ts';
import { SelectionActions, type SelectionHandlers } from './SelectionActions.tsx';

const ROW_HEIGHT = 26;
const HEADER_HEIGHT = 28;
// Room for the time and, before it, the marks of a marked row (star, tag dots, note).
const TIME_WIDTH = 228;
/** How long a new result is shown before the pages around the view are fetched (see below). */
const PREFETCH_AFTER_MS = 250;

interface Props {
  result: ResultView;
  /**
   * Where the selected rows go for export and deletion; none for rows read in place (they can be
   * copied, not marked, exported or deleted: they are not in the case).
   */
  selection: SelectionHandlers | undefined;
}

/**
 * The event table: only the rows in view exist in the DOM, fetched by position from the engine's
 * result handle through the page cache, so a million-row result scrolls like a hundred-row one.
 */
export function LogTable({ result, selection }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const zone = useWorkspace((s) => s.zone);
  const cursor = useWorkspace((s) => s.cursor);
  const detailSeq = useWorkspace((s) => s.detailSeq);
  const openDetail = useWorkspace((s) => s.openDetail);
  const selectRow = useWorkspace((s) => s.selectRow);
  const selected = useWorkspace((s) => s.selected);
  const notice = useWorkspace((s) => s.notice);
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const order = useWorkspace((s) => s.order);
  const setOrder = useWorkspace((s) => s.setOrder);
  const layout = useColumns((s) => s.layout);
  const columns = useMemo(() => columnsOf(layout), [layout]);
  const totalWidth = TIME_WIDTH + columns.reduce((n, c) => n + c.width, 0);
  const [menuOpen, setMenuOpen] = useState(false);
  const [cellMenu, setCellMenu] = useState<CellTarget | undefined>();
  const closeCellMenu = useCallback(() => setCellMenu(undefined), []);

  // The virtualizer re-renders this component itself; nothing here memoizes its functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: result.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30,
    // The sticky header sits inside the scroll area, above the first row: rows start below it, and
    // a row scrolled to is never left under it.
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  // The marks of the rows on screen (each event asked once; see stores/marks.ts).
  useEffect(() => {
    const seqs: number[] = [];
    for (let position = first; position <= last; position++) {
      const row = result.cache.row(position);
      if (row) seqs.push(row.seq);
    }
    useMarks.getState().request(seqs);
  });
  // When this result appeared. Its neighbour pages are fetched only once it has been on screen a
  // moment: when filters are typed one after another, the reader must not be left busy with
  // pages of results already replaced (a free-text result's second page costs ~0.15 s on 1M
  // events, and the next filter's first page would queue behind it).
  const shownAt = useRef(0);
  useEffect(() => {
    shownAt.current = performance.now();
  }, [result.cache]);
  useEffect(() => {
    // One page either side of the view, so steady scrolling finds its rows already here.
    const prefetch = (): void =>
      result.cache.prefetch(first - result.cache.pageSize, last + result.cache.pageSize);
    const wait = shownAt.current + PREFETCH_AFTER_MS - performance.now();
    if (wait <= 0) return prefetch();
    const timer = setTimeout(prefetch, wait);
    return () => clearTimeout(timer);
  }, [result.cache, first, last]);

  // A new result is shown from its top without a scroll event: whether the newest rows are in
  // view is asked again (else a table scrolled away before a filter change never follows again).
  useEffect(() => {
    if (scrollRef.current) noteWhetherAtNewest(scrollRef.current, order);
  }, [result.handle, order]);

  const cursorAlign = useWorkspace((s) => s.cursorAlign);
  useEffect(() => {
    if (cursor < result.count) virtualizer.scrollToIndex(cursor, { align: cursorAlign });
  }, [cursor, cursorAlign, result.count, virtualizer]);

  return (
    <div
      className="log-table"
      role="grid"
      aria-rowcount={result.count}
      aria-label="Events"
      data-result={result.handle}
    >
      <div
        ref={scrollRef}
        className="log-body"
        tabIndex={-1}
        // Following a live tail stops when the newest rows are scrolled out of view.
        onScroll={(e) => noteWhetherAtNewest(e.currentTarget, order)}
      >
        <div className="log-header" role="row" style={{ width: totalWidth, height: HEADER_HEIGHT }}>
          <button
            type="button"
            className="log-cell log-time sortable"
            style={{ width: TIME_WIDTH }}
            onClick={() => setOrder(order === 'desc' ? 'asc' : 'desc')}
            title="Sort by time"
          >
            Time {order === 'desc' ? '↓' : '↑'}
          </button>
          {columns.map((column) => (
            <HeaderCell key={column.id} column={column} />
          ))}
        </div>
        <div
          style={{
            height: virtualizer.getTotalSize(),
            width: totalWidth,
            position: 'relative',
            // Offsets count the header (paddingStart), which already takes its place in the flow.
            marginTop: -HEADER_HEIGHT,
          }}
        >
          {items.map((item) => {
            const event = result.cache.row(item.index);
            return (
              <Row
                key={item.key}
                position={item.index}
                top={item.start}
                event={event}
                columns={columns}
                zone={zone}
                active={item.index === cursor}
                selected={selectedSet.has(item.index)}
                open={event !== undefined && event.seq === detailSeq}
                onSelect={(e) => {
                  const mode = e.shiftKey ? 'extend' : e.ctrlKey || e.metaKey ? 'toggle' : 'only';
                  selectRow(item.index, mode);
                  if (mode === 'only' && event) openDetail(event.seq);
                }}
                onCellMenu={(e, column) => {
                  if (!event) return;
                  e.preventDefault();
                  selectRow(item.index, 'only');
                  setCellMenu({
                    x: Math.min(e.clientX, window.innerWidth - 330),
                    y: Math.min(e.clientY, window.innerHeight - 170),
                    event,
                    field: column?.field,
                    label: column?.label ?? 'Time',
                    value: column ? column.value(event) : formatTime(event.time, zone),
                  });
                }}
              />
            );
          })}
        </div>
      </div>
      <div className="log-footer">
        <span>
          {result.count === 0
            ? 'No events match'
            : result.estimated
              ? `about ${formatCount(result.count)} events (the server's estimate: counting took too long)`
              : `${formatCount(result.count)} events`}
          {selected.length > 1 && ` · ${formatCount(selected.length)} selected`}
          {notice && <span className="notice"> · {notice}</span>}
        </span>
        {selected.length > 1 && selection && <SelectionActions result={result} handlers={selection} />}
        <button type="button" className="text-button" onClick={() => setMenuOpen(!menuOpen)}>
          Columns…
        </button>
        {menuOpen && <ColumnsMenu onClose={() => setMenuOpen(false)} />}
        {cellMenu && <CellMenu target={cellMenu} onClose={closeCellMenu} />}
      </div>
    </div>
  );
}

/** Tells the live view whether the table shows its newest rows (it follows a tail only then). */
function noteWhetherAtNewest(body: HTMLElement, order: 'asc' | 'desc'): void {
  const atNewest =
    order === 'desc'
      ? body.scrollTop < ROW_HEIGHT
      : body.scrollHeight - body.scrollTop - body.clientHeight < ROW_HEIGHT;
  if (useLive.getState().atNewest !== atNewest) useLive.getState().setAtNewest(atNewest);
}

/** A column header: drag it onto another to move it there; drag its right edge to resize it. */
function HeaderCell({ column }: { column: Column }) {
  const resize = useColumns((s) => s.resize);
  const move = useColumns((s) => s.move);
  const [dropTarget, setDropTarget] = useState(false);
  return (
    <div
      className={`log-cell header-cell${dropTarget ? ' drop-target' : ''}`}
      role="columnheader"
      style={{ width: column.width }}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData('application/x-auditscope-column', column.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('application/x-auditscope-column')) {
          e.preventDefault();
          setDropTarget(true);
        }
      }}
      onDragLeave={() => setDropTarget(false)}
      onDrop={(e) => {
        setDropTarget(false);
        const id = e.dataTransfer.getData('application/x-auditscope-column');
        if (id) move(id, column.id);
      }}
    >
      <span className="header-label">{column.label}</span>
      <span
        className="resize-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${column.label}`}
        onPointerDown={(e) => {
          e.preventDefault();
          e.stopPropagation();
          const startX = e.clientX;
          const startWidth = column.width;
          const onMove = (m: PointerEvent): void => resize(column.id, startWidth + m.clientX - startX);
          const onUp = (): void => {
            window.removeEventListener('pointermove', onMove);
            window.removeEventListener('pointerup', onUp);
          };
          window.addEventListener('pointermove', onMove);
          window.addEventListener('pointerup', onUp);
        }}
      />
    </div>
  );
}

interface RowProps {
  position: number;
  top: number;
  event: StoredEvent | undefined;
  columns: readonly Column[];
  zone: string;
  active: boolean;
  selected: boolean;
  open: boolean;
  onSelect(event: React.MouseEvent): void;
  /** A right-click on a cell (`column` undefined for the time cell). */
  onCellMenu(event: React.MouseEvent, column: Column | undefined): void;
}

/** A star and a dot per tag before the time, for events the analyst marked. */
function MarkBadges({ seq }: { seq: number }) {
  const mark = useMarks((s) => s.bySeq.get(seq));
  if (!mark) return null;
  return (
    <span className="mark-badges" aria-label={mark.starred ? 'starred' : undefined}>
      {mark.starred && <span className="mark-star">★</span>}
      {mark.tags.map((tag) => (
        <span
          key={tag.name}
          className="mark-tag-dot"
          style={{ background: safeTagColor(tag.color) }}
          title={tag.name}
        />
      ))}
      {mark.note !== undefined && (
        <span className="mark-note" title="Has a note">
          ✎
        </span>
      )}
    </span>
  );
}

function Row({
  position,
  top,
  event,
  columns,
  zone,
  active,
  selected,
  open,
  onSelect,
  onCellMenu,
}: RowProps) {
  const className = `log-row${active ? ' active' : ''}${selected ? ' selected' : ''}${open ? ' open' : ''}${event ? '' : ' pending'}`;
  return (
    <div
      className={className}
      role="row"
      aria-rowindex={position + 1}
      aria-selected={active || selected}
      data-seq={event?.seq}
      style={{
        transform: `translateY(${top}px)`,
        height: ROW_HEIGHT,
        width: 'max-content',
        minWidth: '100%',
      }}
      onClick={onSelect}
    >
      <div
        className="log-cell log-time"
        role="gridcell"
        style={{ width: TIME_WIDTH }}
        onContextMenu={(e) => onCellMenu(e, undefined)}
      >
        {event && <MarkBadges seq={event.seq} />}
        {event ? formatTime(event.time, zone) : ''}
      </div>
      {columns.map((column) => {
        const text = event ? cellText(column.value(event)) : '';
        return (
          <div
            key={column.id}
            role="gridcell"
            className={`log-cell${column.id === 'outcome' ? ` outcome-${text}` : ''}`}
            style={{ width: column.width }}
            title={text}
            onContextMenu={(e) => onCellMenu(e, column)}
          >
            {text}
          </div>
        );
      })}
    </div>
  );
}
