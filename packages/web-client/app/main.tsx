import { render } from 'preact';
import { App } from './App';
import { completeCognitoSignIn } from './SignIn';
import type { ClientConfig } from './types';

const root = document.getElementById('app');
const start = async (): Promise<void> => {
  if (root === null) return;
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    const config = (await response.json()) as ClientConfig;
    // back from the Cognito hosted UI: trade the code for a token before the app reads it
    const signInError = config.auth.mode === 'cognito' ? await completeCognitoSignIn(config.auth) : undefined;
    root.textContent = '';
    render(<App config={config} signInError={signInError} />, root);
  } catch (error: unknown) {
    root.textContent = `Kupala could not start: ${error instanceof Error ? error.message : String(error)}`;
  }
};
void start();
