import { measureGenericCsvParse } from './measure';

const main = async () => {
  const t = setInterval(() => {
    const m = process.memoryUsage();
    console.error(
      'rss',
      (m.rss / 1048576) | 0,
      'heap',
      (m.heapUsed / 1048576) | 0,
      'ext',
      (m.external / 1048576) | 0,
      'ab',
      (m.arrayBuffers / 1048576) | 0,
    );
  }, 300);
  console.log(await measureGenericCsvParse(100000));
  clearInterval(t);
};
void main();
