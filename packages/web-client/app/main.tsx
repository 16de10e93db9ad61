import { render } from 'preact';
import { App } from './App';
import type { ClientConfig } from './types';

const root = document.getElementById('app');
const start = async (): Promise<void> => {
  if (root === null) return;
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    const config = (await response.json()) as ClientConfig;
    root.textContent = '';
    render(<App config={config} />, root);
  } catch (error: unknown) {
    root.textContent = `Kupala could not start: ${error instanceof Error ? error.message : String(error)}`;
  }
};
void start();
