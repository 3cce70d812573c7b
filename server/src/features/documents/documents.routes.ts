import {
  idParamsSchema,
  importUrlSchema,
  listDocumentsQuerySchema,
  uploadDocumentsFieldsSchema,
} from '@chatbot/shared';
import { Router, type Request } from 'express';
import multer from 'multer';
import { formUpload } from '../../http/multipart';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { requireRole } from '../../tenancy/require-auth';
import type { DocumentsService, UploadedFile } from './documents.service';

/** Files accepted in one upload request; each is held in memory until its blob is written. */
export const MAX_FILES_PER_UPLOAD = 10;

const canManageDocuments = requireRole('owner', 'admin');

/** `/api/documents`, mounted behind requireAuth; agents may look, owners and admins change. */
export function documentsRoutes(documents: DocumentsService, maxUploadBytes: number): Router {
  const upload = multer({
    storage: multer.memoryStorage(),
    // Browsers send UTF-8 file names without declaring a charset; multer's default would read them as Latin-1.
    defParamCharset: 'utf8',
    limits: {
      fileSize: maxUploadBytes,
      files: MAX_FILES_PER_UPLOAD,
      fields: 5,
      parts: MAX_FILES_PER_UPLOAD + 5,
    },
  });
  const filesOf = (req: Request) => (req.files as UploadedFile[] | undefined) ?? [];

  const router = Router();
  router.post(
    '/upload',
    canManageDocuments,
    formUpload(upload.array('file', MAX_FILES_PER_UPLOAD)),
    route({ body: uploadDocumentsFieldsSchema, status: 202 }, ({ body }, req) =>
      documents.upload(requestEm(), body.botId, filesOf(req)),
    ),
  );
  router.post(
    '/url',
    canManageDocuments,
    route({ body: importUrlSchema, status: 202 }, ({ body }) => documents.importUrl(requestEm(), body)),
  );
  router.get(
    '/',
    route({ query: listDocumentsQuerySchema }, ({ query }) => documents.list(requestEm(), query)),
  );
  router.get(
    '/:id',
    route({ params: idParamsSchema }, ({ params }) => documents.get(requestEm(), params.id)),
  );
  router.post(
    '/:id/reindex',
    canManageDocuments,
    route({ params: idParamsSchema, status: 202 }, ({ params }) => documents.reindex(requestEm(), params.id)),
  );
  router.delete(
    '/:id',
    canManageDocuments,
    route({ params: idParamsSchema, status: 204 }, ({ params }) => documents.remove(requestEm(), params.id)),
  );
  return router;
}
