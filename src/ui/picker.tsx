/** A choice from a short list (a queue, a channel, a colleague, a period): React Aria's select, in the look of src/ui/base.css. */
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

export interface PickerProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { id: string; label: string }[];
  /** Shown while nothing is chosen. */
  placeholder?: string;
  /** The label is read by screen readers only (the filters in the list). */
  hideLabel?: boolean;
  className?: string;
  /** Marks a filter that narrows the list. */
  active?: boolean;
}

export function Picker({ label, value, onChange, options, placeholder, hideLabel = false, className = 'picker', active = false }: PickerProps) {
  return (
    <Select className={className} selectedKey={value === '' && placeholder ? null : value} onSelectionChange={(key) => onChange(String(key ?? ''))} {...(placeholder ? { placeholder } : {})}>
      <Label className={hideLabel ? 'visually-hidden' : 'field-label'}>{label}</Label>
      <Button className={`filter-button${active ? ' active' : ''}${hideLabel ? '' : ' wide'}`}>
        {/* A filter that narrows nothing says what it filters by ("Queue"), not "All queues". */}
        <SelectValue>{({ defaultChildren }) => (hideLabel && value === '' ? label : defaultChildren)}</SelectValue>
        <span aria-hidden="true" className="chevron">▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="menu" items={options}>
          {(item) => <ListBoxItem id={item.id} className="menu-item">{item.label}</ListBoxItem>}
        </ListBox>
      </Popover>
    </Select>
  );
}
