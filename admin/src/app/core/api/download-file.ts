import { HttpErrorResponse, type HttpClient } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';

/**
 * Downloads a file of the API (a CSV export, a PDF) and hands it to the browser as a download. It goes
 * through HttpClient because a plain link would carry no access token; the file is named as the server's
 * Content-Disposition names it, else `fallbackName`. A refusal rejects with the server's JSON error body,
 * so `apiProblem` reads its message.
 */
export async function downloadFile(
  http: HttpClient,
  url: string,
  fallbackName: string,
  params?: Record<string, string | number | boolean>,
): Promise<void> {
  const response = await firstValueFrom(
    http.get(url, { params, observe: 'response', responseType: 'blob' }),
  ).catch(async (error: unknown) => {
    throw await withJsonBody(error);
  });
  saveFile(response.body!, attachmentName(response.headers.get('Content-Disposition'), fallbackName));
}

/** The file name of a `Content-Disposition: attachment; filename="…"` header. */
export function attachmentName(header: string | null, fallback: string): string {
  return /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header ?? '')?.[1] ?? fallback;
}

function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a while later: the browser reads the file after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** A failed blob request carries its JSON error body as a Blob: parsed, the server's message shows. */
async function withJsonBody(error: unknown): Promise<unknown> {
  if (!(error instanceof HttpErrorResponse) || !(error.error instanceof Blob)) return error;
  try {
    return new HttpErrorResponse({
      error: JSON.parse(await error.error.text()) as unknown,
      headers: error.headers,
      status: error.status,
      statusText: error.statusText,
      url: error.url ?? undefined,
    });
  } catch {
    return error;
  }
}
