// A row of labelled filters that wraps on small screens: each label stays
// beside its control where there is room and goes above it where there is
// not, and no control is wider than the page (no sideways scrolling at 390 px).
import { Select, Typography } from 'antd';
import type { ReactNode } from 'react';

export function FilterBar({ children }: { children: ReactNode }) {
  return <div style={{ display: 'flex', flexWrap: 'wrap', gap: '12px 24px', alignItems: 'center', marginBottom: 16, maxWidth: '100%' }}>{children}</div>;
}

export function FilterSelect({
  id,
  label,
  value,
  onChange,
  options,
  width,
}: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  width: number;
}) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '4px 8px', minWidth: 0, maxWidth: '100%' }}>
      <Typography.Text id={id} style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Typography.Text>
      <Select aria-labelledby={id} value={value} onChange={onChange} options={options} style={{ width, maxWidth: '100%' }} />
    </div>
  );
}
