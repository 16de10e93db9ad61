export * from './credentials-key';
export {
  DEMO_PORTFOLIO,
  DEMO_TRADES,
  DEMO_USERNAME,
  type DemoSeedOptions,
  type DemoSeedResult,
  demoPrices,
  seedDemoUser,
} from './demo-seed';
export {
  DYNAMODB_LOCAL_PACKAGE,
  DYNAMODB_LOCAL_PACKAGE_INTEGRITY,
  DYNAMODB_LOCAL_PACKAGE_VERSION,
  type DynamoDbLocalInstallation,
  type DynamoDbLocalOptions,
  dynamoDbLocalCacheDir,
  ensureDynamoDbLocal,
  IntegrityMismatchError,
  LOCAL_REGION,
  localAwsCredentials,
  type RunningDynamoDbLocal,
  sha512Integrity,
  startDynamoDbLocal,
} from './dynamodb-local';
export { type GatewayOptions, NOT_FOUND_BODY, type RunningGateway, startGateway } from './gateway';
export {
  type AccessTokenClaims,
  defaultIssuerDir,
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  type LocalIssuer,
  loadOrCreateLocalIssuer,
  localAuthEnvironment,
  localSubFor,
  type PublicJwks,
} from './issuer';
export { ConnectionRefusedError, connectLive, type LiveClient, type ReceivedMessage } from './live-client';
export {
  DEFAULT_DYNAMODB_PORT,
  DEFAULT_GATEWAY_PORT,
  DEFAULT_S3_PORT,
  freePlatformPorts,
  LOCAL_STAGE,
  LocalPlatform,
  type LocalPlatformOptions,
  type PlatformEndpoints,
  type PlatformPorts,
  platformPortsFromEnv,
  platformPortVariables,
  type StartedPlatform,
} from './local-platform';
export {
  createBuckets,
  type LocalS3Options,
  localS3ClientConfig,
  type RunningLocalS3,
  startLocalS3,
} from './local-s3';
export {
  DEFAULT_SERVICE_PORTS,
  launchOfflineService,
  portVariable,
  SERVICE_NAMES,
  type ServiceName,
  type ServicePorts,
} from './offline-services';
export { assertPortsFree, findFreePort, isPortFree, PortInUseError } from './ports';
export {
  type GatewayRoute,
  RouteConflictError,
  type RouteMatch,
  type RouteMethod,
  RouteTable,
  routesFromServiceConfig,
} from './route-table';
export {
  bucketNamesFromResources,
  functionEnvironmentsFromResources,
  LOCAL_PSEUDO_PARAMETERS,
  packagedTemplatePath,
  parseCloudFormationYaml,
  printServiceConfig,
  readPackagedResources,
  readServerlessYaml,
  resolveLocalString,
  resourceNamesFromResources,
  resourceNameVariablesFromResources,
  serviceParamNames,
  stageParamNames,
  tableNamesFromResources,
} from './service-templates';
export { createTables, localDynamoDbClient, TableDefinitionError, tableInputsFromResources } from './tables';
export { testIssuer, tokenFor } from './testing';
