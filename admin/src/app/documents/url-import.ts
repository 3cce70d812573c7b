import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import {
  form,
  FormField,
  hidden,
  required,
  submit,
  validateStandardSchema,
  type FieldTree,
  type TreeValidationResult,
} from '@angular/forms/signals';
import { crawlSchema, importUrlSchema, type ImportUrlInput } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { Toaster } from '../core/ui/toaster';
import { DocumentList } from './document-list';
import { DocumentsApi } from './documents-api';

type Mode = 'page' | 'sitemap' | 'links';
interface ImportModel {
  url: string;
  mode: Mode;
  depth: number;
  maxPages: number;
}

const initial: ImportModel = { url: '', mode: 'page', depth: 1, maxPages: 20 };

/** Imports a web page into the bot's documents, alone or with the pages its sitemap or links lead to. */
@Component({
  selector: 'app-url-import',
  imports: [FormField],
  templateUrl: './url-import.html',
  styleUrl: './url-import.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UrlImport {
  private readonly api = inject(DocumentsApi);
  private readonly toaster = inject(Toaster);
  private readonly list = inject(DocumentList);
  readonly botId = input.required<string>();

  protected readonly model = signal<ImportModel>({ ...initial });
  protected readonly importForm = form(this.model, (path) => {
    required(path.url, { message: 'Enter the address of a page.' });
    // The very rules the server applies, so what passes here is not refused there (once there is a URL).
    validateStandardSchema(path.url, ({ value }) => (value() ? importUrlSchema.shape.url : undefined));
    hidden(path.depth, ({ valueOf }) => valueOf(path.mode) !== 'links');
    hidden(path.maxPages, ({ valueOf }) => valueOf(path.mode) === 'page');
    validateStandardSchema(path.depth, crawlSchema.shape.depth);
    validateStandardSchema(path.maxPages, crawlSchema.shape.maxPages);
  });
  protected readonly problem = signal<string | null>(null);

  protected async send(event: Event): Promise<void> {
    event.preventDefault();
    this.problem.set(null);
    await submit(this.importForm, () => this.importPage());
  }

  private async importPage(): Promise<TreeValidationResult> {
    const { url, mode, depth, maxPages } = this.model();
    const input: ImportUrlInput = { botId: this.botId(), url };
    if (mode === 'sitemap') input.crawl = { mode, maxPages, depth: 1 };
    if (mode === 'links') input.crawl = { mode, maxPages, depth };
    const startedAt = Date.now();
    try {
      // The page's document shows at once; the pages a crawl finds arrive later, over the socket.
      this.list.added([await this.api.importUrl(input)], startedAt);
    } catch (error) {
      return this.serverErrors(error);
    }
    this.toaster.success(
      input.crawl
        ? `Importing ${url} and up to ${maxPages - 1} more pages of its site.`
        : `Importing ${url}.`,
    );
    this.importForm().reset({ ...initial, mode, depth, maxPages });
    return undefined;
  }

  /** The server's field errors go beside their fields; anything else above the button. */
  private serverErrors(error: unknown): TreeValidationResult {
    const problem = apiProblem(error);
    const fields: Record<string, FieldTree<unknown>> = {
      url: this.importForm.url,
      'crawl.depth': this.importForm.depth,
      'crawl.maxPages': this.importForm.maxPages,
    };
    const placed = Object.entries(problem.fields)
      .filter(([path]) => fields[path])
      .map(([path, message]) => ({ fieldTree: fields[path]!, kind: 'server', message }));
    if (!placed.length) this.problem.set(problem.message);
    return placed;
  }
}
