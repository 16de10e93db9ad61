import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type CollectionTag, parse, type ScalarTag } from 'yaml';
import { LOCAL_REGION } from './dynamodb-local';
import { isRecord } from './is-record';
import { serverlessBinary } from './workspace';

const execFileAsync = promisify(execFile);

/** Stand-ins for CloudFormation pseudo parameters, locally and in tests. */
export const LOCAL_PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::AccountId': '000000000000',
  'AWS::Region': LOCAL_REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'kupala-local',
};

export type ResourceMap = Record<string, unknown>;

export const packagedTemplatePath = (serviceDir: string): string =>
  join(serviceDir, '.serverless', 'cloudformation-template-update-stack.json');

/** Resources of the template `serverless package` wrote to <serviceDir>/.serverless/. */
export const readPackagedResources = async (serviceDir: string): Promise<ResourceMap> => {
  const file = packagedTemplatePath(serviceDir);
  const template: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isRecord(template) || !isRecord(template.Resources)) throw new Error(`${file} has no Resources map`);
  return template.Resources;
};

export interface PrintOptions {
  /** `--param=name=value` pairs passed to serverless. */
  params?: Readonly<Record<string, string>>;
  env?: NodeJS.ProcessEnv;
  serverlessBin?: string;
}

export const paramArguments = (params: Readonly<Record<string, string>>): string[] =>
  Object.entries(params).map(([name, value]) => `--param=${name}=${value}`);

/** The service's configuration with every variable resolved (`serverless print --format json`). */
export const printServiceConfig = async (
  serviceDir: string,
  stage: string,
  options: PrintOptions = {},
): Promise<Record<string, unknown>> => {
  const bin = options.serverlessBin ?? serverlessBinary();
  const args = ['print', '--stage', stage, '--format', 'json', ...paramArguments(options.params ?? {})];
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(bin, args, {
      cwd: serviceDir,
      env: options.env ?? process.env,
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (error: unknown) {
    const { stderr = '', stdout: partial = '' } = error as { stderr?: string; stdout?: string };
    // osls prints the error itself on stdout and only an environment footer on stderr.
    const reason = `${partial}\n${stderr}`
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^(Environment|Docs|Support|Bugs):/.test(line.trim()))
      .join('\n');
    throw new Error(`serverless print failed in ${serviceDir}:\n${reason || String(error)}`, {
      cause: error,
    });
  }
  const start = stdout.indexOf('{');
  const config: unknown = JSON.parse(start < 0 ? stdout : stdout.slice(start));
  if (!isRecord(config)) throw new Error(`serverless print in ${serviceDir} returned no configuration`);
  return config;
};

export const resourcesOfConfig = (config: Record<string, unknown>): ResourceMap => {
  const resources = config.resources;
  return isRecord(resources) && isRecord(resources.Resources) ? resources.Resources : {};
};

/**
 * The `functions` of a serverless configuration by name: a map, or a list of maps (e.g.
 * `- ${file(./more-functions.yml)}` once resolved).
 */
export const functionsOfConfig = (config: Record<string, unknown>): Record<string, unknown> =>
  Array.isArray(config.functions)
    ? Object.assign({}, ...config.functions.filter(isRecord))
    : isRecord(config.functions)
      ? config.functions
      : {};

export const resourcesOfType = (resources: ResourceMap, type: string): [string, Record<string, unknown>][] =>
  Object.entries(resources).flatMap(([logicalId, resource]) =>
    isRecord(resource) && resource.Type === type
      ? [
          [logicalId, isRecord(resource.Properties) ? resource.Properties : {}] as [
            string,
            Record<string, unknown>,
          ],
        ]
      : [],
  );

/**
 * Resolves a CloudFormation value to a plain string where that is possible without a deployment: strings,
 * Fn::Sub over pseudo parameters / string variables / table and bucket names, and Ref / Fn::Sub `${Id}`
 * of a table or bucket (both name the resource). Anything else resolves to undefined.
 */
export const resolveLocalString = (value: unknown, resources: ResourceMap = {}): string | undefined => {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  if ('Ref' in value && typeof value.Ref === 'string') return referencedName(value.Ref, resources);
  if ('Fn::Sub' in value) return substitute(value['Fn::Sub'], resources);
  if ('Fn::Join' in value) {
    const join = value['Fn::Join'];
    if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1])) return undefined;
    const parts = join[1].map((part) => resolveLocalString(part, resources));
    return parts.every((part): part is string => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
};

const referencedName = (name: string, resources: ResourceMap): string | undefined => {
  const pseudo = LOCAL_PSEUDO_PARAMETERS[name];
  if (pseudo !== undefined) return pseudo;
  const resource = resources[name];
  if (!isRecord(resource) || !isRecord(resource.Properties)) return undefined;
  if (resource.Type === 'AWS::DynamoDB::Table')
    return resolveLocalString(resource.Properties.TableName, resources);
  if (resource.Type === 'AWS::S3::Bucket')
    return resolveLocalString(resource.Properties.BucketName, resources);
  return undefined;
};

const substitute = (sub: unknown, resources: ResourceMap): string | undefined => {
  const [template, variables] = Array.isArray(sub) ? [sub[0], sub[1]] : [sub, {}];
  if (typeof template !== 'string' || (variables !== undefined && !isRecord(variables))) return undefined;
  let unresolved = false;
  const text = template.replace(/\$\{(!?)([^}]+)\}/g, (whole, literal: string, name: string) => {
    if (literal === '!') return `\${${name}}`;
    const own = variables?.[name];
    const value = own === undefined ? referencedName(name, resources) : resolveLocalString(own, resources);
    if (value === undefined) unresolved = true;
    return value ?? whole;
  });
  return unresolved ? undefined : text;
};

/** The framework's own artifact bucket in packaged templates; handlers never use it. */
const DEPLOYMENT_BUCKET = 'ServerlessDeploymentBucket';

/**
 * Bucket names of every `AWS::S3::Bucket` (BucketName a string or Fn::Sub over pseudo parameters), except
 * the Serverless deployment bucket.
 */
export const bucketNamesFromResources = (resources: ResourceMap): string[] =>
  resourcesOfType(resources, 'AWS::S3::Bucket').flatMap(([logicalId, properties]) => {
    if (logicalId === DEPLOYMENT_BUCKET) return [];
    const name = resolveLocalString(properties.BucketName, resources);
    if (name === undefined || name === '') {
      throw new Error(
        `S3 bucket resource ${logicalId}: BucketName must be a string or Fn::Sub over pseudo parameters, got ` +
          `${JSON.stringify(properties.BucketName) ?? 'nothing'}`,
      );
    }
    return [name];
  });

/** Table names of every `AWS::DynamoDB::Table` whose TableName resolves locally. */
export const tableNamesFromResources = (resources: ResourceMap): string[] =>
  resourcesOfType(resources, 'AWS::DynamoDB::Table').flatMap(([, properties]) => {
    const name = resolveLocalString(properties.TableName, resources);
    return name === undefined ? [] : [name];
  });

/** Every Lambda function's environment variable whose value resolves to a plain string, by function. */
export const functionEnvironmentsFromResources = (
  resources: ResourceMap,
): Map<string, Record<string, string>> => {
  const environments = new Map<string, Record<string, string>>();
  for (const [logicalId, properties] of resourcesOfType(resources, 'AWS::Lambda::Function')) {
    const environment = isRecord(properties.Environment) ? properties.Environment.Variables : undefined;
    if (!isRecord(environment)) continue;
    const resolved: Record<string, string> = {};
    for (const [name, value] of Object.entries(environment)) {
      const text = resolveLocalString(value, resources);
      if (text !== undefined) resolved[name] = text;
    }
    environments.set(logicalId, resolved);
  }
  return environments;
};

/** The names of the template's Lambda functions (e.g. a worker another function invokes). */
export const functionNamesFromResources = (resources: ResourceMap): string[] =>
  resourcesOfType(resources, 'AWS::Lambda::Function').flatMap(([, properties]) => {
    const name = resolveLocalString(properties.FunctionName, resources);
    return name === undefined ? [] : [name];
  });

/** The names of the template's tables, buckets and functions. */
export const resourceNamesFromResources = (resources: ResourceMap): string[] => [
  ...tableNamesFromResources(resources),
  ...bucketNamesFromResources(resources),
  ...functionNamesFromResources(resources),
];

/**
 * Function environment variables whose value names one of the template's tables, buckets or functions, or one of
 * `others` (another service's resources a function names by its fixed per-stage name, e.g. a function it invokes).
 */
export const resourceNameVariablesFromResources = (
  resources: ResourceMap,
  others: Iterable<string> = [],
): Record<string, string> => {
  const names = new Set([...resourceNamesFromResources(resources), ...others]);
  const variables: Record<string, string> = {};
  for (const environment of functionEnvironmentsFromResources(resources).values()) {
    for (const [name, value] of Object.entries(environment)) {
      if (names.has(value)) variables[name] = value;
    }
  }
  return variables;
};

const CLOUDFORMATION_FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
] as const;

const cloudFormationKey = (name: string): string =>
  name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;

const collectionTag = (
  tag: string,
  collection: 'map' | 'seq',
  wrap: (value: unknown) => unknown,
): CollectionTag => ({
  tag,
  collection,
  resolve: (node) => wrap(node.toJSON()),
});

/** YAML tags for CloudFormation short forms, so serverless.yml parses into the long (JSON) forms. */
export const cloudFormationYamlTags: (ScalarTag | CollectionTag)[] = [
  ...['Ref', 'Condition', ...CLOUDFORMATION_FUNCTIONS].flatMap((name) => {
    const key = cloudFormationKey(name);
    const wrap = (value: unknown) => ({ [key]: value });
    const scalar: ScalarTag = { tag: `!${name}`, resolve: (text: string) => wrap(text) };
    return [scalar, collectionTag(`!${name}`, 'seq', wrap), collectionTag(`!${name}`, 'map', wrap)];
  }),
  { tag: '!GetAtt', resolve: (text: string) => ({ 'Fn::GetAtt': text.split('.') }) },
  collectionTag('!GetAtt', 'seq', (value) => ({ 'Fn::GetAtt': value })),
];

/** Parses YAML that may use CloudFormation short-form tags (!Ref, !GetAtt, !Sub, !Join, …). */
export const parseCloudFormationYaml = (text: string): unknown =>
  parse(text, { customTags: cloudFormationYamlTags, strict: false, uniqueKeys: false });

/** The service's serverless.yml as written (variables unresolved). */
export const readServerlessYaml = async (serviceDir: string): Promise<Record<string, unknown>> => {
  const file = join(serviceDir, 'serverless.yml');
  const config = parseCloudFormationYaml(await readFile(file, 'utf8'));
  if (!isRecord(config)) throw new Error(`${file} is not a YAML map`);
  return config;
};

/**
 * Names of every `${param:…}` the service uses, in its serverless.yml and the files it pulls in with
 * `${file(…)}` (followed transitively).
 */
export const serviceParamNames = async (serviceDir: string): Promise<string[]> => {
  const names = new Set<string>();
  const visited = new Set<string>();
  const pending = [resolve(serviceDir, 'serverless.yml')];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (visited.has(file) || !existsSync(file)) continue;
    visited.add(file);
    const text = await readFile(file, 'utf8');
    // `${param:name}` in YAML; `'param:name'` in JS config files (resolveVariable('param:name')).
    for (const match of text.matchAll(/(?:\$\{|['"`])param:([A-Za-z0-9_-]+)/g)) {
      if (match[1] !== undefined) names.add(match[1]);
    }
    for (const match of text.matchAll(/\$\{file\(([^)~]+)\)/g)) {
      if (match[1] !== undefined) pending.push(resolve(dirname(file), match[1].trim()));
    }
  }
  return [...names].sort();
};

/** Params the service itself defines for `stage` (`params.<stage>` in serverless.yml); these win locally. */
export const stageParamNames = async (serviceDir: string, stage: string): Promise<string[]> => {
  const config = await readServerlessYaml(serviceDir);
  const params = isRecord(config.params) ? config.params[stage] : undefined;
  return isRecord(params) ? Object.keys(params).sort() : [];
};
