import {
  exportLeadsQuerySchema,
  idParamsSchema,
  leadNoteSchema,
  listLeadsQuerySchema,
  updateLeadSchema,
} from '@chatbot/shared';
import { Router } from 'express';
import { requestEm } from '../../http/request-context';
import { route } from '../../http/route';
import { authOf } from '../../tenancy/require-auth';
import { leadsCsvHeader, leadsCsvLines } from './leads-csv';
import { allLeads, getLead, listAssignees, listLeads } from './leads.queries';
import type { LeadsService } from './leads.service';

/** `/api/leads`, behind requireAuth: every role works the leads (agents follow them up). */
export function leadsRoutes(leads: LeadsService): Router {
  const router = Router();
  router.get(
    '/',
    route({ query: listLeadsQuerySchema }, ({ query }) => listLeads(requestEm(), query)),
  );
  // Before `/:id`, which would take `assignees` and `export.csv` for ids.
  router.get(
    '/assignees',
    route({}, () => listAssignees(requestEm())),
  );
  router.get(
    '/export.csv',
    route({ query: exportLeadsQuerySchema }, async ({ query }, _req, res) => {
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .attachment(`leads-${new Date().toISOString().slice(0, 10)}.csv`)
        .set('Cache-Control', 'no-store');
      res.write(leadsCsvHeader);
      // Written a page at a time, so a large export never sits in memory whole.
      try {
        for await (const page of allLeads(requestEm().fork(), query)) res.write(leadsCsvLines(page));
      } catch (error) {
        // Cut off rather than ended: a truncated file must not look like a complete export.
        res.destroy();
        throw error;
      }
      res.end();
    }),
  );
  router.get(
    '/:id',
    route({ params: idParamsSchema }, ({ params }) => getLead(requestEm(), params.id)),
  );
  router.patch(
    '/:id',
    route({ params: idParamsSchema, body: updateLeadSchema }, ({ params, body }, req) =>
      leads.update(requestEm(), params.id, body, authOf(req).user),
    ),
  );
  router.post(
    '/:id/notes',
    route({ params: idParamsSchema, body: leadNoteSchema, status: 201 }, ({ params, body }, req) =>
      leads.addNote(requestEm(), params.id, body.text, authOf(req).user),
    ),
  );
  return router;
}
