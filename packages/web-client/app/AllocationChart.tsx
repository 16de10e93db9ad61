import { useState } from 'preact/hooks';
import { type AllocatedPosition, type AllocationGrouping, allocationSlices } from '../src/allocation';
import { formatMoney } from '../src/decimal-display';

const BAR_HEIGHT = 22;
const GAP = 8;

/** Horizontal bars of the gross market value in base currency; labels carry the exact figures. */
export const AllocationChart = (props: { positions: readonly AllocatedPosition[]; baseCurrency: string }) => {
  const [grouping, setGrouping] = useState<AllocationGrouping>('instrument');
  const slices = allocationSlices(props.positions, grouping);
  const height = Math.max(1, slices.length) * (BAR_HEIGHT + GAP);
  const description = slices.map((slice) => `${slice.label} ${slice.percent}%`).join(', ');
  return (
    <section class="card chart" aria-labelledby="allocation-title">
      <div class="chart-head">
        <h2 id="allocation-title">Allocation</h2>
        <fieldset class="segmented">
          <legend class="visually-hidden">Group by</legend>
          {(['instrument', 'assetClass'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="allocation-grouping"
                value={value}
                checked={grouping === value}
                onChange={() => setGrouping(value)}
              />
              {value === 'instrument' ? 'By instrument' : 'By asset class'}
            </label>
          ))}
        </fieldset>
      </div>
      {slices.length === 0 ? (
        <p class="muted">Nothing priced to allocate yet.</p>
      ) : (
        <svg
          role="img"
          aria-label={`Allocation ${grouping === 'instrument' ? 'by instrument' : 'by asset class'}: ${description}`}
          viewBox={`0 0 100 ${height}`}
          preserveAspectRatio="none"
          class="bars"
          style={{ height: `${height}px` }}
          data-testid="allocation-chart"
        >
          {slices.map((slice, index) => (
            <rect
              key={slice.label}
              x="0"
              y={index * (BAR_HEIGHT + GAP)}
              // geometry only: the exact figures are in the labels
              width={Math.max(0.5, Number(slice.percent))}
              height={BAR_HEIGHT}
              class={`bar bar-${index % 6}`}
            />
          ))}
        </svg>
      )}
      <ol class="legend">
        {slices.map((slice, index) => (
          <li key={slice.label}>
            <span class={`swatch bar-${index % 6}`} aria-hidden="true" />
            <span>{slice.label}</span>
            <span class="num">{slice.percent}%</span>
            <span class="num">{formatMoney(slice.value, props.baseCurrency)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
};
