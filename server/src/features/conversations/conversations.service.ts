import type { ConversationDeletion, ConversationSummary, Role } from '@chatbot/shared';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import {
  Conversation,
  Lead,
  currentTenantId,
  publishWebhookEvent,
  runAsSystem,
  runInTenant,
  type JobQueue,
  type Logger,
  type WebhookEventName,
} from '@chatbot/shared/platform';
import { conflict, forbidden, notFound } from '../../http/http-error';
import { appendMessage } from './conversation-messages';
import { deleteConversation } from './conversation-erasure';
import { addDailyUsage } from './daily-usage';
import type { ChatEvents } from './chat-events';
import { presentConversation, presentMessage } from './conversations.presenter';

/** A dashboard user acting on a conversation. */
export interface Staff {
  id: string;
  name: string;
  role: Role;
}

/** What the handoff needs of the bot. */
export interface HandoffSettings {
  handoff: { enabled: boolean; waitSeconds: number };
  leadCapture: { enabled: boolean };
}

export const notices = {
  waiting: "I've asked someone from the team to join. They'll be with you shortly.",
  unavailable:
    "Sorry, there's nobody from the team in this chat. Leave your email and we'll get back to you.",
  timedOut: "Sorry, nobody from the team is free right now. Leave your email and we'll get back to you.",
  joined: (name: string) => `${name} joined the chat.`,
  left: (name: string) => `${name} left the chat; the assistant will answer again.`,
  closed: 'This conversation has ended.',
};

/**
 * The life of a conversation: bot → (visitor asks for a person: waiting) → human (an agent took it over)
 * → bot again or closed. Every transition is one conditional UPDATE on the current state, so two agents
 * (on any nodes) cannot both take a conversation: the second finds it already changed.
 */
export class ConversationsService {
  constructor(
    private readonly events: ChatEvents,
    private readonly logger: Logger,
    /** Where webhook deliveries of the handoff and close events are queued. */
    private readonly queue: JobQueue,
    /** Stops the bot's answer being written in a conversation, on whichever node writes it. */
    private readonly stopAnswer: (conversationId: string) => void = () => undefined,
  ) {}

  async find(em: EntityManager, id: string): Promise<Conversation> {
    const conversation = await em.findOne(Conversation, id, { populate: ['assignedAgent'] });
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }

  async takeover(em: EntityManager, id: string, staff: Staff): Promise<ConversationSummary> {
    const conversation = await this.find(em, id);
    const changed = await em.nativeUpdate(
      Conversation,
      { id, mode: 'bot' },
      { mode: 'human', assignedAgent: staff.id, handoffRequestedAt: null },
    );
    if (!changed) {
      await em.refresh(conversation, { populate: ['assignedAgent'] });
      if (conversation.mode === 'human' && conversation.assignedAgent?.id === staff.id) {
        return presentConversation(conversation);
      }
      if (conversation.mode === 'human') {
        const name = conversation.assignedAgent?.getEntity().name ?? 'Another agent';
        throw conflict(`${name} has already taken this conversation over.`);
      }
      throw conflict(notices.closed);
    }
    this.stopAnswer(id);
    const taken = await this.notice(em, conversation, notices.joined(staff.name));
    this.events.toVisitor(id, 'agent:joined', { conversationId: id, agentName: staff.name });
    return this.announce(taken);
  }

  /** An agent's message: only the agent who has the conversation may write in it. */
  async postAgentMessage(
    em: EntityManager,
    id: string,
    staff: Staff,
    input: { text: string; clientMessageId?: string },
  ): Promise<{ messageId: string; seq: number }> {
    const conversation = await this.find(em, id);
    if (conversation.mode !== 'human' || conversation.assignedAgent?.id !== staff.id) {
      throw conflict('Take the conversation over before you answer in it.');
    }
    const { message, created } = await appendMessage(em, {
      conversation,
      role: 'agent',
      content: input.text,
      clientMessageId: input.clientMessageId,
      agentId: staff.id,
    });
    if (created) this.events.messageNew(conversation.tenant.id, presentMessage(message, staff.name));
    return { messageId: message.id, seq: message.seq };
  }

  /** Hands the conversation back to the bot: its agent may, and so may owners and admins. */
  async release(em: EntityManager, id: string, staff: Staff): Promise<ConversationSummary> {
    const conversation = await this.find(em, id);
    if (conversation.mode !== 'human') throw conflict('No agent has this conversation.');
    if (conversation.assignedAgent?.id !== staff.id && staff.role === 'agent') {
      throw forbidden('Only the agent who took the conversation over can hand it back.');
    }
    const agentName = conversation.assignedAgent?.getEntity().name ?? staff.name;
    const changed = await em.nativeUpdate(
      Conversation,
      { id, mode: 'human', assignedAgent: conversation.assignedAgent?.id ?? null },
      { mode: 'bot', assignedAgent: null },
    );
    if (!changed) throw conflict('The conversation changed meanwhile; reload it.');
    const released = await this.notice(em, conversation, notices.left(agentName));
    this.events.toVisitor(id, 'agent:left', { conversationId: id });
    return this.announce(released);
  }

  /** Ends the conversation for good, by staff or by the visitor. */
  async close(em: EntityManager, id: string, staff?: Staff): Promise<ConversationSummary> {
    const conversation = await this.find(em, id);
    if (
      staff?.role === 'agent' &&
      conversation.mode === 'human' &&
      conversation.assignedAgent?.id !== staff.id
    ) {
      throw forbidden('Another agent has this conversation.');
    }
    const closedAt = new Date();
    const changed = await em.nativeUpdate(
      Conversation,
      { id, mode: { $ne: 'closed' } },
      { mode: 'closed', closedAt, handoffRequestedAt: null },
    );
    if (!changed) {
      // It had ended already (perhaps a moment ago, by someone else): say how it is now.
      await em.refresh(conversation, { populate: ['assignedAgent'] });
      return presentConversation(conversation);
    }
    const closed = await this.notice(em, conversation, notices.closed);
    this.events.toVisitor(id, 'conversation:closed', { conversationId: id });
    const summary = this.announce(closed);
    await this.publish(em, 'conversation.closed', {
      conversationId: id,
      botId: conversation.bot.id,
      mode: 'closed',
      closedAt: closedAt.toISOString(),
      closedBy: staff ? 'staff' : 'visitor',
    });
    return summary;
  }

  /**
   * Deletes the conversation for good (GDPR): a bot answer being written stops, the visitor's widget is
   * told the chat ended, and the tenant's views drop it.
   */
  async remove(em: EntityManager, id: string, staff: Staff): Promise<ConversationDeletion> {
    const erased = await deleteConversation(em, id, staff.id);
    this.stopAnswer(id);
    this.events.toVisitor(id, 'conversation:closed', { conversationId: id });
    this.events.toTenant(currentTenantId(), 'conversation:deleted', { conversationId: id });
    return erased;
  }

  /** Visitors with the widget connected now to the tenant's bots, on every node. */
  visitorsOnline(tenantId: string): Promise<number> {
    return this.events.visitorsOnline(tenantId);
  }

  /**
   * The visitor asks for a person. With handoff off, the bot says nobody is here and asks for contact
   * details; otherwise the conversation waits (the bot stays quiet) and every online agent is alerted.
   */
  async requestHandoff(em: EntityManager, conversation: Conversation, bot: HandoffSettings): Promise<void> {
    if (conversation.mode === 'closed') throw conflict(notices.closed);
    if (conversation.mode === 'human' || conversation.handoffRequestedAt) return;
    // Counted with handoff off too: the analytics show how often visitors want a person either way.
    if (!bot.handoff.enabled) {
      await addDailyUsage(em, conversation.bot.id, { handoffs: 1 });
      await this.notice(em, conversation, notices.unavailable, 'bot');
      await this.requestLead(em, conversation, bot);
      return;
    }
    const now = new Date();
    const changed = await em.nativeUpdate(
      Conversation,
      { id: conversation.id, mode: 'bot', handoffRequestedAt: null },
      { handoffRequestedAt: now },
    );
    if (!changed) return;
    await addDailyUsage(em, conversation.bot.id, { handoffs: 1 });
    const waiting = await this.notice(em, conversation, notices.waiting);
    this.events.toTenant(conversation.tenant.id, 'handoff:requested', {
      conversationId: conversation.id,
      botId: conversation.bot.id,
    });
    this.announce(waiting);
    await this.publish(em, 'conversation.handoff_requested', {
      conversationId: conversation.id,
      botId: conversation.bot.id,
      mode: conversation.mode,
      requestedAt: now.toISOString(),
    });
  }

  /**
   * Conversations whose visitor has waited longer than the bot's wait time: the bot says nobody is free and
   * asks for contact details. Run periodically by every node; the conditional update lets one node win.
   */
  async expireHandoffs(orm: MikroORM, now = new Date()): Promise<number> {
    const minimumWaitMs = 10_000;
    const waiting = await runAsSystem('handoff sweep', () =>
      orm.em
        .fork()
        .find(
          Conversation,
          { mode: 'bot', handoffRequestedAt: { $lte: new Date(now.getTime() - minimumWaitMs) } },
          { populate: ['bot'], limit: 200 },
        ),
    );
    let expired = 0;
    for (const conversation of waiting) {
      const bot = conversation.bot.getEntity();
      const requestedAt = conversation.handoffRequestedAt!;
      if (requestedAt.getTime() + bot.handoff.waitSeconds * 1000 > now.getTime()) continue;
      await runInTenant(conversation.tenant.id, async () => {
        const em = orm.em.fork();
        const changed = await em.nativeUpdate(
          Conversation,
          { id: conversation.id, mode: 'bot', handoffRequestedAt: requestedAt },
          { handoffRequestedAt: null },
        );
        if (!changed) return;
        expired++;
        const apologised = await this.notice(em, conversation, notices.timedOut, 'bot');
        await this.requestLead(em, conversation, bot);
        this.announce(apologised);
      }).catch((error: unknown) =>
        this.logger.error({ err: error, conversationId: conversation.id }, 'handoff expiry failed'),
      );
    }
    return expired;
  }

  /** Asks the widget for contact details, once per conversation and never after the visitor said no. */
  async requestLead(em: EntityManager, conversation: Conversation, bot: HandoffSettings): Promise<void> {
    if (!bot.leadCapture.enabled || conversation.leadDeclinedAt) return;
    // A visitor who left their details already is not asked for them again.
    if (await em.count(Lead, { conversation: conversation.id })) return;
    const first = await em.nativeUpdate(
      Conversation,
      { id: conversation.id, leadRequestedAt: null },
      { leadRequestedAt: new Date() },
    );
    if (!first) return;
    this.events.toVisitor(conversation.id, 'lead:request', { conversationId: conversation.id });
  }

  /**
   * A line of the transcript about the conversation itself (who joined, who left, that it ended), written
   * after the change it tells of; returns the conversation as that message's transaction read it.
   */
  private async notice(
    em: EntityManager,
    conversation: Conversation,
    text: string,
    role: 'system' | 'bot' = 'system',
  ): Promise<Conversation> {
    const stored = await appendMessage(em, { conversation, role, content: text });
    this.events.messageNew(conversation.tenant.id, presentMessage(stored.message));
    return stored.conversation;
  }

  /** Tells the tenant's webhooks. The transition has happened by then, so a failure is logged, not thrown. */
  private async publish(em: EntityManager, event: WebhookEventName, data: Record<string, unknown>) {
    await publishWebhookEvent(em, this.queue, event, data).catch((error: unknown) =>
      this.logger.error({ err: error, event }, 'webhook event not published'),
    );
  }

  /** Tells the tenant's inbox how the conversation is now. */
  private announce(conversation: Conversation): ConversationSummary {
    const summary = presentConversation(conversation);
    this.events.conversationUpdated(conversation.tenant.id, summary);
    return summary;
  }
}
