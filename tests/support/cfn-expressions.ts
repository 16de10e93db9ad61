import type { CfnResource, PackagedService } from './packaged-services';

/**
 * A CloudFormation value written out as the ARN-like text it stands for, so that template tests can match it with
 * a pattern: `{Ref: X}` -> `${X}`, `{Fn::GetAtt: [X, Arn]}` -> `${X.Arn}`, `Fn::Sub` -> its text, `Fn::Join` ->
 * its parts joined, `Fn::ImportValue` -> `${import:name}`. Pseudo parameters stay as `${AWS::Region}` etc.
 */
export const renderCfn = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(renderCfn).join(',');
  if (typeof value !== 'object' || value === null) return '';
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return `\${${record.Ref}}`;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `\${${getAtt.join('.')}}`;
  if (typeof getAtt === 'string') return `\${${getAtt}}`;
  const sub = record['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub)) return renderCfn(sub[0]);
  const join = record['Fn::Join'];
  if (Array.isArray(join)) return (join[1] as unknown[]).map(renderCfn).join(String(join[0]));
  if ('Fn::ImportValue' in record) return `\${import:${renderCfn(record['Fn::ImportValue'])}}`;
  return JSON.stringify(value);
};

/** The logical id a `Ref` / `Fn::GetAtt` points at, if the value is one. */
export const referencedId = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return record.Ref;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return String(getAtt[0]);
  return undefined;
};

export interface LocatedResource {
  service: string;
  logicalId: string;
  resource: CfnResource;
  properties: Record<string, unknown>;
}

/** Every resource of a type across the given services (an empty result is the caller's to guard against). */
export const resourcesOfType = (services: PackagedService[], type: string): LocatedResource[] =>
  services.flatMap((service) =>
    Object.entries(service.resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => ({
        service: service.name,
        logicalId,
        resource,
        properties: resource.Properties ?? {},
      })),
  );

export interface PolicyStatement {
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

/** The statements of a role's inline policies. */
export const roleStatements = (role: LocatedResource): PolicyStatement[] =>
  ((role.properties.Policies ?? []) as { PolicyDocument: { Statement: PolicyStatement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
