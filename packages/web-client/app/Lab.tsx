import { useEffect, useRef, useState } from 'preact/hooks';
import { type FormErrors, formErrors } from '../src/api-errors';
import {
  barChart,
  bytesToBase64,
  DEFAULT_METRIC,
  formatMetric,
  higherIsBetter,
  type LabTask,
  latestProgress,
  progressPercent,
  type RunProgress,
  sortLeaderboard,
  TASK_METRICS,
  TASK_MODELS,
} from '../src/leaderboard';
import type { Live } from './App';
import { type Api, ApiError, describeApiError } from './api';
import type { Analysis, AnalysisProgressMessage, Dataset, DatasetDetail, Page } from './types';

/** Hash routes of the AutoML lab (not tied to a portfolio). */
export const labHref = {
  datasets: '#/lab',
  dataset: (datasetId: string) => `#/lab/datasets/${datasetId}`,
  analysis: (analysisId: string) => `#/lab/analyses/${analysisId}`,
};
export type LabRoute = { view: 'datasets' } | { view: 'dataset' | 'analysis'; id: string };
export const parseLabHash = (hash: string): LabRoute | undefined => {
  if (hash === '#/lab') return { view: 'datasets' };
  const match = /^#\/lab\/(datasets|analyses)\/([^/]+)$/.exec(hash);
  if (match === null) return undefined;
  return { view: match[1] === 'datasets' ? 'dataset' : 'analysis', id: match[2] ?? '' };
};

/** The route's bounds: 1 MiB of CSV text; XLSX travels as base64, so 768 KiB of file. */
const MAX_CSV_BYTES = 1024 * 1024;
const MAX_XLSX_BYTES = 768 * 1024;
const NO_ERRORS: FormErrors = { fields: {}, general: [] };
const failure = (caught: unknown, fields: readonly string[]): FormErrors =>
  caught instanceof ApiError
    ? formErrors(caught.status, caught.body, fields)
    : { fields: {}, general: ['The API cannot be reached.'] };

const FieldError = (props: { id: string; errors: string[] | undefined }) => (
  <span class="field-error" id={props.id}>
    {props.errors?.join(' ')}
  </span>
);
const GeneralErrors = (props: { errors: FormErrors }) =>
  props.errors.general.length === 0 ? null : (
    <div class="error" role="alert">
      {props.errors.general.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );

/** The caller's datasets, and a CSV or XLSX file uploaded inline as a new one. */
export const Datasets = (props: { api: Api }) => {
  const { api } = props;
  const [datasets, setDatasets] = useState<Dataset[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      const items: Dataset[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Dataset> = await api.request(
          'GET',
          `/datasets?limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      setDatasets(items);
      setLoadError(undefined);
    } catch (caught: unknown) {
      setLoadError(describeApiError(caught));
    }
  };
  useEffect(() => {
    void load();
  }, [api]);

  const upload = async () => {
    if (file === undefined) return;
    const format = /\.xlsx$/i.test(file.name) ? 'xlsx' : 'csv';
    const limit = format === 'xlsx' ? MAX_XLSX_BYTES : MAX_CSV_BYTES;
    if (file.size > limit) {
      setErrors({
        fields: { content: [`The file is over ${limit / 1024} KiB, the most sent inline.`] },
        general: [],
      });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const content =
        format === 'xlsx' ? bytesToBase64(new Uint8Array(await file.arrayBuffer())) : await file.text();
      const created = await api.request<Dataset>('POST', '/datasets', {
        name: name.trim() === '' ? file.name.replace(/\.[^.]+$/, '') : name.trim(),
        format,
        content,
      });
      location.hash = labHref.dataset(created.datasetId);
    } catch (caught: unknown) {
      setErrors(failure(caught, ['name', 'content', 'format', 'sheet']));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (dataset: Dataset) => {
    if (!confirm(`Delete the dataset ${dataset.name}?`)) return;
    try {
      await api.request('DELETE', `/datasets/${dataset.datasetId}`);
      await load();
    } catch (caught: unknown) {
      setLoadError(describeApiError(caught));
    }
  };

  return (
    <section aria-labelledby="lab-title">
      <h1 id="lab-title">AutoML lab: datasets</h1>
      <form
        class="card form-grid"
        aria-label="Upload a dataset"
        data-testid="dataset-upload"
        onSubmit={(event) => {
          event.preventDefault();
          void upload();
        }}
      >
        <label>
          Data file (CSV, or XLSX)
          <input
            type="file"
            name="content"
            required
            accept=".csv,.txt,.xlsx,text/csv"
            aria-invalid={errors.fields.content !== undefined}
            aria-describedby="dataset-content-error"
            onChange={(event) => setFile((event.target as HTMLInputElement).files?.[0])}
          />
          <FieldError id="dataset-content-error" errors={errors.fields.content ?? errors.fields.sheet} />
        </label>
        <label>
          Dataset name <span class="muted small">(default: the file name)</span>
          <input
            name="name"
            maxLength={100}
            value={name}
            aria-invalid={errors.fields.name !== undefined}
            aria-describedby="dataset-name-error"
            onInput={(event) => setName((event.target as HTMLInputElement).value)}
          />
          <FieldError id="dataset-name-error" errors={errors.fields.name} />
        </label>
        <div class="actions">
          <button type="submit" disabled={file === undefined || busy}>
            {busy ? 'Uploading…' : 'Upload dataset'}
          </button>
        </div>
        <GeneralErrors errors={errors} />
      </form>
      {loadError !== undefined && (
        <p class="error" role="alert">
          {loadError}
        </p>
      )}
      {datasets === undefined ? (
        loadError === undefined && <p class="muted">Loading datasets…</p>
      ) : datasets.length === 0 ? (
        <p class="muted">No dataset yet: upload a CSV whose first line names the columns.</p>
      ) : (
        <div class="table-scroll card">
          <table data-testid="datasets-table">
            <caption>Your datasets</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Format</th>
                <th scope="col" class="num">
                  Rows
                </th>
                <th scope="col" class="num">
                  Columns
                </th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {datasets.map((dataset) => (
                <tr key={dataset.datasetId}>
                  <td>
                    <a href={labHref.dataset(dataset.datasetId)}>{dataset.name}</a>
                  </td>
                  <td>{dataset.format}</td>
                  <td class="num">{dataset.rows}</td>
                  <td class="num">{dataset.columns.length}</td>
                  <td>{dataset.createdAt.slice(0, 10)}</td>
                  <td class="row-actions">
                    <button
                      type="button"
                      class="ghost"
                      aria-label={`Delete dataset ${dataset.name}`}
                      onClick={() => void remove(dataset)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};

const ANALYSIS_FIELDS = ['target', 'task', 'folds', 'budgetSeconds', 'include', 'datasetId'] as const;

/** A dataset's schema, row count and preview, and the form that starts an AutoML run on one of its columns. */
export const DatasetView = (props: { api: Api; datasetId: string }) => {
  const { api, datasetId } = props;
  const [dataset, setDataset] = useState<DatasetDetail | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [target, setTarget] = useState('');
  const [task, setTask] = useState<LabTask>('regression');
  const [folds, setFolds] = useState('5');
  const [budget, setBudget] = useState('120');
  const [include, setInclude] = useState<string[]>([]);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api
      .request<DatasetDetail>('GET', `/datasets/${datasetId}`)
      .then((found) => {
        if (cancelled) return;
        setDataset(found);
        const last = found.columns[found.columns.length - 1];
        if (last !== undefined) {
          setTarget(last.name);
          setTask(last.type === 'number' ? 'regression' : 'classification');
        }
      })
      .catch((caught: unknown) => {
        if (!cancelled) setLoadError(describeApiError(caught));
      });
    return () => {
      cancelled = true;
    };
  }, [api, datasetId]);

  const start = async () => {
    setBusy(true);
    setErrors(NO_ERRORS);
    // numbers as typed: the API answers a non-integer or out-of-range value at its field
    const body: Record<string, unknown> = { datasetId, target, task };
    if (folds.trim() !== '') body.folds = Number(folds);
    if (budget.trim() !== '') body.budgetSeconds = Number(budget);
    const offered: readonly string[] = TASK_MODELS[task];
    const chosen = include.filter((model) => offered.includes(model));
    if (chosen.length > 0) body.include = chosen;
    try {
      const created = await api.request<{ analysisId: string }>('POST', '/analyses', body);
      location.hash = labHref.analysis(created.analysisId);
    } catch (caught: unknown) {
      setErrors(failure(caught, ANALYSIS_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  if (dataset === undefined)
    return loadError === undefined ? (
      <p class="muted">Loading the dataset…</p>
    ) : (
      <section>
        <p class="error" role="alert">
          {loadError}
        </p>
        <a href={labHref.datasets}>Back to the datasets</a>
      </section>
    );

  const field = (name: string) => ({
    'aria-invalid': errors.fields[name] !== undefined,
    'aria-describedby': `analysis-${name}-error`,
  });
  return (
    <section aria-labelledby="dataset-title">
      <p>
        <a href={labHref.datasets}>← Datasets</a>
      </p>
      <h1 id="dataset-title">Dataset {dataset.name}</h1>
      <dl class="counts" data-testid="dataset-facts">
        <div>
          <dt>Rows</dt>
          <dd>{dataset.rows}</dd>
        </div>
        <div>
          <dt>Columns</dt>
          <dd>{dataset.columns.length}</dd>
        </div>
        <div>
          <dt>Format</dt>
          <dd>{dataset.format}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{dataset.sizeBytes} bytes</dd>
        </div>
      </dl>
      <div class="table-scroll card">
        <table data-testid="dataset-schema">
          <caption>Schema: each column's type, inferred from its non-empty cells</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {dataset.columns.map((column) => (
              <tr key={column.name}>
                <td>{column.name}</td>
                <td>{column.type}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="table-scroll card">
        <table data-testid="dataset-preview">
          <caption>
            Preview: the first {dataset.preview.length} of {dataset.rows} rows, cells as the file has them
          </caption>
          <thead>
            <tr>
              {dataset.columns.map((column) => (
                <th key={column.name} scope="col" class={column.type === 'number' ? 'num' : undefined}>
                  {column.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {dataset.preview.map((cells, index) => (
              // preview rows have no identity but their position
              <tr key={index}>
                {dataset.columns.map((column, cell) => (
                  <td key={column.name} class={column.type === 'number' ? 'num' : undefined}>
                    {cells[cell] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        class="card form-grid"
        aria-label="Start an analysis"
        data-testid="analysis-form"
        // the inputs carry their bounds (spinners, assistive tech), but the API's answer is what is shown at a field
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <h2>Rank the model families on a column</h2>
        <label>
          Target column
          <select
            name="target"
            value={target}
            {...field('target')}
            onChange={(event) => setTarget((event.target as HTMLSelectElement).value)}
          >
            {dataset.columns.map((column) => (
              <option key={column.name} value={column.name}>
                {column.name} ({column.type})
              </option>
            ))}
          </select>
          <FieldError id="analysis-target-error" errors={errors.fields.target} />
        </label>
        <label>
          Task
          <select
            name="task"
            value={task}
            {...field('task')}
            onChange={(event) => setTask((event.target as HTMLSelectElement).value as LabTask)}
          >
            <option value="regression">regression</option>
            <option value="classification">classification</option>
          </select>
          <FieldError id="analysis-task-error" errors={errors.fields.task} />
        </label>
        <label>
          Cross-validation folds
          <input
            name="folds"
            type="number"
            inputMode="numeric"
            min={2}
            max={20}
            step={1}
            value={folds}
            {...field('folds')}
            onInput={(event) => setFolds((event.target as HTMLInputElement).value)}
          />
          <FieldError id="analysis-folds-error" errors={errors.fields.folds} />
        </label>
        <label>
          Time budget (seconds)
          <input
            name="budgetSeconds"
            type="number"
            inputMode="numeric"
            min={10}
            max={840}
            step={1}
            value={budget}
            {...field('budgetSeconds')}
            onInput={(event) => setBudget((event.target as HTMLInputElement).value)}
          />
          <FieldError id="analysis-budgetSeconds-error" errors={errors.fields.budgetSeconds} />
        </label>
        <fieldset class="families" {...field('include')}>
          <legend>Model families (none ticked: every family that can learn the task)</legend>
          {TASK_MODELS[task].map((model) => (
            <label key={model} class="inline">
              <input
                type="checkbox"
                name="include"
                value={model}
                checked={include.includes(model)}
                onChange={(event) => {
                  const on = (event.target as HTMLInputElement).checked;
                  setInclude((current) =>
                    on ? [...current, model] : current.filter((chosen) => chosen !== model),
                  );
                }}
              />
              {model}
            </label>
          ))}
          <FieldError id="analysis-include-error" errors={errors.fields.include} />
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy || target === ''}>
            {busy ? 'Starting…' : 'Start analysis'}
          </button>
        </div>
        <GeneralErrors errors={errors} />
      </form>
    </section>
  );
};

const BAR = { width: 400, barHeight: 20, gap: 6 };
const isDone = (status: RunProgress['status'] | undefined) => status === 'SUCCEEDED' || status === 'FAILED';

/** Saves a fetched file under `name` (an object URL clicked once, then released). */
const saveBlob = (blob: Blob, name: string) => {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/** A run: its progress (pushed over the WebSocket, polled as the fallback), then the sorted leaderboard. */
export const AnalysisView = (props: { api: Api; live: Live; analysisId: string }) => {
  const { api, live, analysisId } = props;
  const [analysis, setAnalysis] = useState<Analysis | undefined>();
  const [progress, setProgress] = useState<RunProgress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [metric, setMetric] = useState<string | undefined>();
  const [downloadError, setDownloadError] = useState<string | undefined>();
  const analysisRef = useRef<Analysis | undefined>(undefined);
  analysisRef.current = analysis;

  const fetchAnalysis = async () => {
    try {
      const found = await api.request<Analysis>('GET', `/analyses/${analysisId}`);
      setAnalysis(found);
      setProgress((current) =>
        latestProgress(current, { status: found.status, ...found.progress, updatedAt: found.updatedAt }),
      );
      setError(undefined);
    } catch (caught: unknown) {
      setError(describeApiError(caught));
    }
  };

  useEffect(
    () =>
      live.listen((message) => {
        if (message.type !== 'analysis.progress') return;
        const pushed = message as unknown as AnalysisProgressMessage;
        if (pushed.analysisId !== analysisId) return;
        setProgress((current) => latestProgress(current, pushed));
        // the leaderboard is not in the push: read it once the run is over
        if (isDone(pushed.status) && !isDone(analysisRef.current?.status)) void fetchAnalysis();
      }),
    [live.listen, analysisId],
  );

  // The pushes drive the bar; polling is the fallback (and what fetches the leaderboard) until the run ends.
  useEffect(() => {
    void fetchAnalysis();
    const timer = setInterval(() => {
      if (!isDone(analysisRef.current?.status)) void fetchAnalysis();
    }, 2000);
    return () => clearInterval(timer);
  }, [api, analysisId]);

  if (analysis === undefined)
    return error === undefined ? (
      <p class="muted">Loading the analysis…</p>
    ) : (
      <p class="error" role="alert">
        {error}
      </p>
    );

  const task = analysis.task;
  const chosen = metric ?? DEFAULT_METRIC[task];
  const rows = sortLeaderboard(analysis.leaderboard, chosen);
  const chart = barChart(rows, chosen, BAR);
  const percent = progressPercent(progress);
  const status = isDone(analysis.status) ? analysis.status : (progress?.status ?? analysis.status);
  const download = async (format: 'csv' | 'json') => {
    setDownloadError(undefined);
    try {
      const blob = await api.download(`/analyses/${analysisId}/predictions?format=${format}`);
      saveBlob(blob, `predictions-${analysisId}.${format}`);
    } catch (caught: unknown) {
      setDownloadError(describeApiError(caught));
    }
  };

  return (
    <section aria-labelledby="analysis-title">
      <p>
        <a href={labHref.dataset(analysis.datasetId)}>← Dataset</a>
      </p>
      <h1 id="analysis-title">
        Analysis of {analysis.target} ({task})
      </h1>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <section class="card" aria-labelledby="analysis-status" data-testid="analysis-run">
        <h2 id="analysis-status">Run: {status}</h2>
        <label>
          Progress
          <progress
            max={100}
            value={percent}
            aria-valuetext={`${progress?.completed ?? 0} of ${progress?.total ?? 0} model families done`}
          >
            {percent}%
          </progress>
        </label>
        <p class="muted">
          {progress?.completed ?? 0} of {progress?.total ?? '?'} model families done · {analysis.folds} folds
          · budget {analysis.budgetSeconds} s · seed {analysis.seed}
        </p>
        {analysis.error !== undefined && (
          <p class="error" role="alert">
            The run failed: {analysis.error}
          </p>
        )}
        {analysis.skipped.length > 0 && (
          <p class="notice">Skipped (out of budget or failed): {analysis.skipped.join(', ')}</p>
        )}
      </section>
      {analysis.leaderboard.length > 0 && (
        <>
          <section class="card" aria-labelledby="leaderboard-title">
            <div class="chart-head">
              <h2 id="leaderboard-title">Leaderboard</h2>
              <label>
                Metric
                <select
                  name="metric"
                  value={chosen}
                  onChange={(event) => setMetric((event.target as HTMLSelectElement).value)}
                >
                  {TASK_METRICS[task].map((name) => (
                    <option key={name} value={name}>
                      {name} ({higherIsBetter(name) ? 'higher' : 'lower'} is better)
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div class="table-scroll">
              <table data-testid="leaderboard-table">
                <caption>
                  Means over {analysis.folds} folds, best {chosen} first. Best model:{' '}
                  {analysis.leaderboard.find((entry) => entry.model === analysis.bestModel)?.name ?? '—'}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" class="num">
                      #
                    </th>
                    <th scope="col">Model</th>
                    {TASK_METRICS[task].map((name) => (
                      <th
                        key={name}
                        scope="col"
                        class="num"
                        aria-sort={
                          name === chosen ? (higherIsBetter(name) ? 'descending' : 'ascending') : undefined
                        }
                        aria-current={name === chosen ? 'true' : undefined}
                      >
                        <button type="button" class="link" onClick={() => setMetric(name)}>
                          {name}
                        </button>
                      </th>
                    ))}
                    <th scope="col" class="num">
                      Fit (s)
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((entry, rank) => (
                    <tr key={entry.model} data-model={entry.model}>
                      <td class="num">{rank + 1}</td>
                      <th scope="row">{entry.name}</th>
                      {TASK_METRICS[task].map((name) => (
                        <td key={name} class="num">
                          {formatMetric(entry.metrics[name])}
                        </td>
                      ))}
                      <td class="num">{entry.fitSeconds.toFixed(2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <figure class="leaderboard-chart">
              <figcaption id="leaderboard-chart-title">
                {chosen} by model ({higherIsBetter(chosen) ? 'higher' : 'lower'} is better)
              </figcaption>
              <div class="bar-rows">
                <ol class="bar-labels" aria-hidden="true">
                  {rows.map((entry) => (
                    <li key={entry.model} title={entry.name}>
                      {entry.name}
                    </li>
                  ))}
                </ol>
                <svg
                  role="img"
                  aria-label={`${chosen} by model, best first`}
                  aria-describedby="leaderboard-chart-desc"
                  viewBox={`0 0 ${BAR.width} ${Math.max(1, chart.height)}`}
                  preserveAspectRatio="none"
                  class="leaderboard-bars"
                  style={{ height: `${chart.height}px` }}
                  data-testid="leaderboard-chart"
                >
                  <desc id="leaderboard-chart-desc">
                    {chart.bars.map((bar) => `${bar.name} ${formatMetric(bar.value)}`).join(', ')}. The
                    leaderboard table has every metric.
                  </desc>
                  {chart.bars.map((bar, index) => (
                    <rect
                      key={bar.model}
                      data-model={bar.model}
                      x={bar.x}
                      y={bar.y}
                      width={bar.width}
                      height={BAR.barHeight}
                      class={`bar bar-${index % 6}`}
                    />
                  ))}
                  <line class="axis" x1={chart.zeroX} x2={chart.zeroX} y1={0} y2={chart.height} />
                </svg>
                <ol class="bar-values" aria-hidden="true">
                  {chart.bars.map((bar) => (
                    <li key={bar.model}>{formatMetric(bar.value)}</li>
                  ))}
                </ol>
              </div>
            </figure>
          </section>
          {analysis.status === 'SUCCEEDED' && (
            <section class="card" aria-labelledby="predictions-title">
              <h2 id="predictions-title">Predictions of the best model</h2>
              <div class="actions">
                <button type="button" onClick={() => void download('csv')}>
                  Download predictions (CSV)
                </button>
                <button type="button" onClick={() => void download('json')}>
                  Download predictions (JSON)
                </button>
              </div>
              {downloadError !== undefined && (
                <p class="error" role="alert">
                  {downloadError}
                </p>
              )}
            </section>
          )}
        </>
      )}
    </section>
  );
};
