import { useEffect, useRef, useState } from 'preact/hooks';
import type { Live } from './App';
import { type Api, ApiError, describeApiError } from './api';
import type { Import, ImportProgressMessage, Portfolio } from './types';

const FORMATS = [
  'generic-csv',
  'ibkr-flex-xml',
  'ibkr-flex-csv',
  'ibkr-activity-csv',
  'schwab-csv',
  'fidelity-csv',
  'kupala-json',
] as const;
/** Inline `content` up to 1 MiB (the route's bound); larger files go through the presigned upload. */
const INLINE_LIMIT_BYTES = 1024 * 1024;
const EXAMPLE_MAPPING = JSON.stringify(
  {
    columns: {
      tradeDate: 'Date',
      type: 'Type',
      'instrument.symbol': 'Symbol',
      quantity: 'Qty',
      price: 'Price',
      currency: 'Ccy',
    },
  },
  null,
  2,
);

interface Created {
  importId: string;
  uploadUrl?: string;
  uploadFields?: Record<string, string>;
}
interface Run {
  importId: string;
  dryRun: boolean;
  totalLines: number;
  progress?: ImportProgressMessage;
  result?: Import;
}

const countLines = (text: string): number => text.split(/\r?\n/).filter((line) => line !== '').length;

/** Choose a file and format, dry run first, then import; progress from `import.progress`, row errors by line. */
export const Imports = (props: { api: Api; live: Live; portfolio: Portfolio }) => {
  const { api, live, portfolio } = props;
  const [format, setFormat] = useState<string>('generic-csv');
  const [file, setFile] = useState<File | undefined>();
  const [mappingMode, setMappingMode] = useState<'saved' | 'new'>('new');
  const [mappingName, setMappingName] = useState('');
  const [mappingText, setMappingText] = useState(EXAMPLE_MAPPING);
  const [saveAs, setSaveAs] = useState('');
  const [run, setRun] = useState<Run | undefined>();
  const [checked, setChecked] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const runRef = useRef<Run | undefined>(undefined);
  runRef.current = run;

  useEffect(
    () =>
      live.listen((message) => {
        if (message.type !== 'import.progress') return;
        const progress = message as unknown as ImportProgressMessage;
        setRun((current) =>
          current === undefined ||
          current.importId !== progress.importId ||
          (current.progress !== undefined && current.progress.updatedAt > progress.updatedAt)
            ? current
            : { ...current, progress },
        );
      }),
    [live.listen],
  );

  // The pushes drive the bar; polling the import is the fallback that also fetches the row errors.
  useEffect(() => {
    if (run === undefined || run.result !== undefined) return;
    const timer = setInterval(async () => {
      const current = runRef.current;
      if (current === undefined || current.result !== undefined) return;
      try {
        const found = await api.request<Import>(
          'GET',
          `/portfolios/${portfolio.portfolioId}/imports/${current.importId}`,
        );
        if (found.status === 'SUCCEEDED' || found.status === 'FAILED') {
          setRun((latest) => (latest?.importId === found.importId ? { ...latest, result: found } : latest));
          if (current.dryRun && found.status === 'SUCCEEDED' && found.errors.length === 0)
            setChecked(current.importId);
        }
      } catch (caught: unknown) {
        setError(caught instanceof ApiError ? caught.message : 'The API cannot be reached.');
      }
    }, 700);
    return () => clearInterval(timer);
  }, [api, portfolio.portfolioId, run?.importId, run?.result]);

  const start = async (dryRun: boolean) => {
    if (file === undefined) return;
    setError(undefined);
    if (dryRun) setChecked(undefined);
    const content = await file.text();
    const body: Record<string, unknown> = { format, dryRun };
    if (format === 'generic-csv') {
      if (mappingMode === 'saved') body.mappingName = mappingName.trim();
      else {
        try {
          body.mapping = JSON.parse(mappingText);
        } catch {
          setError('The column mapping is not valid JSON.');
          return;
        }
        if (saveAs.trim() !== '') body.saveMappingAs = saveAs.trim();
      }
    }
    const inline = file.size <= INLINE_LIMIT_BYTES;
    if (inline) body.content = content;
    try {
      const created = await api.request<Created>(
        'POST',
        `/portfolios/${portfolio.portfolioId}/imports`,
        body,
      );
      setRun({ importId: created.importId, dryRun, totalLines: countLines(content) });
      if (!inline && created.uploadUrl !== undefined) {
        const form = new FormData();
        for (const [name, value] of Object.entries(created.uploadFields ?? {})) form.append(name, value);
        form.append('file', file);
        const uploaded = await fetch(created.uploadUrl, { method: 'POST', body: form });
        if (!uploaded.ok) setError(`The upload was refused (${uploaded.status}).`);
      }
    } catch (caught: unknown) {
      setError(describeApiError(caught));
    }
  };

  const rowsRead = run?.result?.progress.rowsRead ?? run?.progress?.rowsRead ?? 0;
  const status = run?.result?.status ?? run?.progress?.status ?? 'PENDING';
  const done = status === 'SUCCEEDED' || status === 'FAILED';
  // the file's line count is the client's estimate of the total; the server's final status fills the bar
  const percent =
    run === undefined
      ? 0
      : done
        ? 100
        : Math.min(99, Math.floor((100 * rowsRead) / Math.max(1, run.totalLines)));

  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">Import a broker file · {portfolio.name}</h1>
      <form
        class="card form-grid"
        aria-label="Import a file"
        onSubmit={(event) => {
          event.preventDefault();
          void start(true);
        }}
      >
        <label>
          File
          <input
            type="file"
            name="file"
            required
            accept=".csv,.xml,.json,.txt"
            onChange={(event) => {
              setFile((event.target as HTMLInputElement).files?.[0]);
              setChecked(undefined);
            }}
          />
        </label>
        <label>
          Format
          <select
            name="format"
            value={format}
            onChange={(event) => {
              setFormat((event.target as HTMLSelectElement).value);
              setChecked(undefined);
            }}
          >
            {FORMATS.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        </label>
        {format === 'generic-csv' && (
          <fieldset class="mapping">
            <legend>Column mapping</legend>
            <label class="inline">
              <input
                type="radio"
                name="mapping-mode"
                checked={mappingMode === 'new'}
                onChange={() => setMappingMode('new')}
              />
              Describe the columns
            </label>
            <label class="inline">
              <input
                type="radio"
                name="mapping-mode"
                checked={mappingMode === 'saved'}
                onChange={() => setMappingMode('saved')}
              />
              Use a saved mapping
            </label>
            {mappingMode === 'saved' ? (
              <label>
                Saved mapping name
                <input
                  name="mappingName"
                  maxLength={64}
                  required
                  value={mappingName}
                  onInput={(event) => setMappingName((event.target as HTMLInputElement).value)}
                />
              </label>
            ) : (
              <>
                <label>
                  Mapping (JSON: trade field → column header)
                  <textarea
                    name="mapping"
                    rows={8}
                    maxLength={10000}
                    value={mappingText}
                    onInput={(event) => setMappingText((event.target as HTMLTextAreaElement).value)}
                  />
                </label>
                <label>
                  Save mapping as <span class="muted small">(optional)</span>
                  <input
                    name="saveMappingAs"
                    maxLength={64}
                    value={saveAs}
                    onInput={(event) => setSaveAs((event.target as HTMLInputElement).value)}
                  />
                </label>
              </>
            )}
          </fieldset>
        )}
        <div class="actions">
          <button type="submit" disabled={file === undefined}>
            Check file (dry run)
          </button>
          <button
            type="button"
            disabled={checked === undefined || run?.importId !== checked}
            onClick={() => void start(false)}
            title="Available after a dry run without errors"
          >
            Import for real
          </button>
        </div>
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      {run !== undefined && (
        <section class="card" aria-labelledby="import-run-title" data-testid="import-run">
          <h2 id="import-run-title">
            {run.dryRun ? 'Dry run' : 'Import'}: {status}
          </h2>
          <label>
            Progress
            <progress max={100} value={percent} aria-valuetext={`${rowsRead} lines read`}>
              {percent}%
            </progress>
          </label>
          <p class="muted">
            {rowsRead} of about {run.totalLines} lines read
          </p>
          {run.result !== undefined && (
            <>
              <dl class="counts">
                <div>
                  <dt>Rows</dt>
                  <dd>{run.result.rows}</dd>
                </div>
                <div>
                  <dt>{run.dryRun ? 'Would import' : 'Imported'}</dt>
                  <dd>{run.result.imported}</dd>
                </div>
                <div>
                  <dt>Duplicates</dt>
                  <dd>{run.result.duplicates}</dd>
                </div>
                <div>
                  <dt>Skipped</dt>
                  <dd>{run.result.skipped}</dd>
                </div>
                <div>
                  <dt>Errors</dt>
                  <dd>{run.result.errors.length}</dd>
                </div>
              </dl>
              {run.result.errors.length > 0 ? (
                <div class="table-scroll">
                  <table class="row-errors" data-testid="row-errors">
                    <caption>Nothing was booked: fix these lines and check again.</caption>
                    <thead>
                      <tr>
                        <th scope="col" class="num">
                          Line
                        </th>
                        <th scope="col">Field</th>
                        <th scope="col">Problem</th>
                      </tr>
                    </thead>
                    <tbody>
                      {run.result.errors.map((rowError) => (
                        <tr key={`${rowError.row}:${rowError.field}:${rowError.message}`}>
                          <td class="num">{rowError.row === 0 ? 'file' : rowError.row}</td>
                          <td>{rowError.field}</td>
                          <td>{rowError.message}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : run.dryRun && run.result.status === 'SUCCEEDED' ? (
                <p class="notice">The file checks out. Nothing was booked yet: import it for real.</p>
              ) : null}
            </>
          )}
        </section>
      )}
    </section>
  );
};
