import { z } from 'zod';
import type { AssistantTool } from './tool';

/** A tool as OpenAI's chat completions take it (`tools: [{ type: 'function', function }]`). */
export interface FunctionToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/**
 * The tools as the model is offered them: each one's JSON schema made from its zod schema (the one its
 * arguments are validated with), without the `$schema` tag and the long regular expressions zod adds for
 * ids and days (their `format` says the same to a model, and zod checks them anyway).
 */
export function toolSpecs(tools: readonly AssistantTool[]): FunctionToolSpec[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: withoutPatterns(z.toJSONSchema(tool.args, { io: 'input' })) as Record<string, unknown>,
    },
  }));
}

/** A JSON schema without `$schema` and `pattern`, however deep (argument names are left alone). */
function withoutPatterns(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || key === 'pattern') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      kept[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, withoutPatterns(child)]),
      );
    } else if (Array.isArray(value)) {
      kept[key] = value.map(withoutPatterns);
    } else {
      kept[key] = typeof value === 'object' ? withoutPatterns(value) : value;
    }
  }
  return kept;
}
