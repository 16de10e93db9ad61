import os from 'node:os';

/** One line naming the machine the figures were measured on. */
export const describeMachine = (now: Date = new Date()): string => {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const ramGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  return [
    `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    model,
    `${cpus.length} cores`,
    `${ramGiB} GiB RAM`,
    `Node ${process.version}`,
    `${os.platform()}-${os.arch()}`,
  ].join(' · ');
};
