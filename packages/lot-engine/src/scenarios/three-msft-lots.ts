import { equity, trades } from '../testing';

/** Ten MSFT at 50 (2024-01-10), 60 (2024-03-01) and 55 (2024-05-01), no fees: shared by the LIFO/FIFO and what-if specs. */
export const threeMsftLots = () => {
  const msft = equity('MSFT');
  const trade = trades();
  const buys = [
    trade('BUY', '2024-01-10', { instrument: msft, quantity: '10', price: '50' }),
    trade('BUY', '2024-03-01', { instrument: msft, quantity: '10', price: '60' }),
    trade('BUY', '2024-05-01', { instrument: msft, quantity: '10', price: '55' }),
  ];
  return { msft, trade, buys };
};
