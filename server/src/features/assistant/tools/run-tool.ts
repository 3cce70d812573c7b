import type { AssistantToolCall } from '@chatbot/shared';
import type { MikroORM } from '@mikro-orm/core';
import { runInTenant, type Dialect, type Logger } from '@chatbot/shared/platform';
import { ToolError, type AssistantTool } from './tool';

/** Who asks, as the sign-in says: the only source of the tenant a tool reads. */
export interface Asker {
  tenantId: string;
  userId: string;
}

export interface ToolRunnerDeps {
  orm: MikroORM;
  dialect: Dialect;
  logger: Logger;
  tools: readonly AssistantTool[];
}

/**
 * Runs the tools the model (or the offline router) calls, for one asker. Every call runs inside
 * `runInTenant` with the asker's tenant and a fresh entity manager, so whatever the arguments say, a query
 * only ever sees that tenant's rows. Unknown tools, arguments that are not JSON or break the tool's schema,
 * and refusals ({@link ToolError}) become an `{ error }` result the model can read; nothing is thrown.
 */
export class ToolRunner {
  constructor(private readonly deps: ToolRunnerDeps) {}

  async run(asker: Asker, name: string, rawArguments: string | object): Promise<AssistantToolCall> {
    const failed = (error: string): AssistantToolCall => ({ name, result: { error } });
    const tool = this.deps.tools.find((candidate) => candidate.name === name);
    if (!tool) return failed(`There is no tool named ${name}.`);
    let input: unknown;
    try {
      input = typeof rawArguments === 'string' ? JSON.parse(rawArguments.trim() || '{}') : rawArguments;
    } catch {
      return failed('The arguments are not valid JSON.');
    }
    const parsed = tool.args.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown argument ${issue.keys.join(', ')}`
          : `${issue.path.join('.') || 'arguments'} ${issue.message}`,
      );
      return failed(`Invalid arguments: ${issues.join('; ')}.`);
    }
    try {
      const result = await runInTenant(asker.tenantId, () =>
        tool.run({ em: this.deps.orm.em.fork(), dialect: this.deps.dialect, now: new Date() }, parsed.data),
      );
      return { name, result };
    } catch (error) {
      if (error instanceof ToolError) return failed(error.message);
      this.deps.logger.error({ err: error, tool: name }, 'assistant tool failed');
      return failed('The figures could not be read just now; try again later.');
    }
  }
}
