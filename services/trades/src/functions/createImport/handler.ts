import {
  createImportRoute,
  type HttpRouteOptions,
  httpRoute,
  MAX_IMPORT_FILE_BYTES,
  NotFoundError,
  ValidationError,
} from '@kupala/trade-model';
import { newImport } from '../../domain/imports/import-resource';
import { type ImportsSideEffects, importsSideEffects, tradesRouteOptions } from '../../sideEffects';

/** A presigned upload URL is valid this long. */
export const UPLOAD_URL_SECONDS = 15 * 60;

export const buildHandler = (
  effects: () => ImportsSideEffects = importsSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createImportRoute,
    async ({ user, params, body }) => {
      const { store, imports, files, newId, now } = effects();
      if ((await store.getPortfolio(user.sub, params.portfolioId)) === undefined)
        throw new NotFoundError('Portfolio');
      const stamp = { id: newId(), now: now() };
      const saved =
        body.mappingName === undefined
          ? undefined
          : await imports.getMapping(user.sub, params.portfolioId, body.mappingName);
      if (body.mappingName !== undefined && saved === undefined) {
        throw new ValidationError('Request is invalid', [
          {
            path: 'mappingName',
            message: `no mapping named "${body.mappingName}" is saved on this portfolio`,
          },
        ]);
      }
      if (body.saveMappingAs !== undefined && body.mapping !== undefined) {
        await imports.saveMapping(user.sub, params.portfolioId, {
          name: body.saveMappingAs,
          mapping: body.mapping,
          updatedAt: stamp.now,
        });
      }
      const file = { sub: user.sub, portfolioId: params.portfolioId, importId: stamp.id };
      const form =
        body.content === undefined
          ? await files.uploadForm(file, UPLOAD_URL_SECONDS, MAX_IMPORT_FILE_BYTES)
          : undefined;
      const upload =
        form === undefined
          ? undefined
          : {
              url: form.url,
              expiresAt: new Date(Date.parse(stamp.now) + UPLOAD_URL_SECONDS * 1000).toISOString(),
            };
      // the record first: storing the file starts processing, which must find it
      await imports.createImport(
        user.sub,
        newImport(
          params.portfolioId,
          { ...body, ...(saved === undefined ? {} : { mapping: saved.mapping }) },
          stamp,
          upload,
        ),
      );
      if (body.content !== undefined) await files.putSource(file, body.content);
      return {
        statusCode: 202,
        body: {
          importId: stamp.id,
          status: 'PENDING' as const,
          ...(upload === undefined || form === undefined
            ? {}
            : { uploadUrl: upload.url, uploadFields: form.fields, uploadExpiresAt: upload.expiresAt }),
        },
      };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
