/** A row of tabs choosing one of a few values (lanes by, colour by, facets…). */
export function Tabs<T extends string>({
  label,
  tabs,
  selected,
  onSelect,
}: {
  label?: string;
  tabs: readonly (readonly [id: T, label: string])[];
  selected: string;
  onSelect(id: NoInfer<T>): void;
}) {
  return (
    <div className="breakdown-tabs" role="tablist" aria-label={label}>
      {tabs.map(([id, text]) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={selected === id}
          onClick={() => onSelect(id)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
