// The filters of the offer lists: financial year (the current one first) and
// status. Shared by the commissioner's and the provider's pages.
import { Alert, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { currentFinancialYear, preferredYear, yearOptions, type Offer, type OfferStatus } from './model.ts';
import { useStatusOptions } from './status.tsx';

export type StatusFilter = OfferStatus | 'all';

/** The year and status in the address (?year=2025/26&status=offered), so a filtered list can be linked to and survives Back. */
export function useOfferFilters(yearsWithServices: readonly string[] | undefined) {
  const [params, setParams] = useSearchParams();
  const current = useMemo(() => currentFinancialYear(), []);
  const fromAddress = params.get('year');
  const fallback = yearsWithServices ? preferredYear(yearsWithServices, current) : current;
  const year = fromAddress ?? fallback;
  const rawStatus = params.get('status');
  const status: StatusFilter = rawStatus === 'offered' || rawStatus === 'approved' || rawStatus === 'rejected' || rawStatus === 'cancelled' ? rawStatus : 'all';
  const set = (name: 'year' | 'status', value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        next.set(name, value);
        return next;
      },
      { replace: true },
    );
  return {
    year,
    current,
    /** The list opened on another year than the current one because the current one has no services. */
    fellBack: !fromAddress && yearsWithServices !== undefined && fallback !== current,
    years: yearOptions(yearsWithServices ?? [], current),
    status,
    setYear: (value: string) => set('year', value),
    setStatus: (value: StatusFilter) => set('status', value),
  };
}

export function matchesStatus(offer: Pick<Offer, 'status'>, status: StatusFilter): boolean {
  return status === 'all' || offer.status === status;
}

export function OfferFilters({ filters }: { filters: ReturnType<typeof useOfferFilters> }) {
  const text = useAreaText(dictionary);
  const statusOptions = useStatusOptions();
  return (
    <>
      <Space wrap size="large" style={{ marginBottom: 16 }}>
        <Space>
          <Typography.Text id="offer-year-label">{text('offers.filters.year')}</Typography.Text>
          <Select
            aria-labelledby="offer-year-label"
            value={filters.year}
            onChange={filters.setYear}
            style={{ width: 180 }}
            options={filters.years.map((year) => ({
              value: year,
              label: year === filters.current ? text('offers.filters.currentYear', { year }) : year,
            }))}
          />
        </Space>
        <Space>
          {/* On a phone the buttons wrap; the label keeps its one line. */}
          <Typography.Text id="offer-status-label" style={{ whiteSpace: 'nowrap' }}>
            {text('offers.filters.status')}
          </Typography.Text>
          <Radio.Group
            aria-labelledby="offer-status-label"
            optionType="button"
            value={filters.status}
            onChange={(event) => filters.setStatus(event.target.value as StatusFilter)}
            options={statusOptions}
          />
        </Space>
      </Space>
      {filters.fellBack && <YearFallbackNote year={filters.year} current={filters.current} />}
    </>
  );
}

function YearFallbackNote({ year, current }: { year: string; current: string }) {
  const text = useAreaText(dictionary);
  const [shown, setShown] = useState(true);
  useEffect(() => setShown(true), [year]);
  if (!shown) return null;
  return (
    <Alert
      type="info"
      showIcon
      closable
      onClose={() => setShown(false)}
      style={{ marginBottom: 16 }}
      message={text('offers.filters.fellBack', { year, current })}
    />
  );
}
