import { decimalSign, formatDecimalForDisplay, formatMoney } from '../src/decimal-display';

/** An amount right-aligned with its currency, coloured by sign when it is a P&L; "—" when unknown. */
export const Money = (props: { value: string | null | undefined; currency: string; pnl?: boolean }) => {
  if (props.value === null || props.value === undefined) return <span class="muted">—</span>;
  const sign = props.pnl === true ? decimalSign(props.value) : 0;
  const tone = sign > 0 ? 'gain' : sign < 0 ? 'loss' : '';
  return <span class={tone}>{formatMoney(props.value, props.currency)}</span>;
};

export const Quantity = (props: { value: string | null | undefined }) =>
  props.value === null || props.value === undefined ? (
    <span class="muted">—</span>
  ) : (
    <span>{formatDecimalForDisplay(props.value)}</span>
  );
