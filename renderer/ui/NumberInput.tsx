import type { InputHTMLAttributes } from 'react';
import { clampToBounds, numberBounds } from './schema';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'min' | 'max' | 'step' | 'value' | 'onChange'> & {
  /** The contract's schema of the value (e.g. `ImportOptions.shape.kcore`): its bounds are the input's. */
  schema: unknown;
  value: number;
  onChange: (value: number) => void;
};

/** A number input whose bounds come from the contract; what is typed is clamped into them before it is kept. */
export function NumberInput({ schema, value, onChange, className = 'input', ...rest }: Props) {
  const b = numberBounds(schema);
  return (
    <input
      {...rest}
      className={className}
      type="number"
      min={b.min}
      max={b.max}
      step={b.int ? 1 : 'any'}
      value={value}
      onChange={(e) => onChange(clampToBounds(e.target.value, b))}
    />
  );
}
