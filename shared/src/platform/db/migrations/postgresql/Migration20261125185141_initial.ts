import { Migration } from '@mikro-orm/migrations';

export class Migration20261125185141_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "tenants" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(120) not null, constraint "tenants_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "chatbots" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "name" varchar(120) not null, "description" text not null, "status" text check ("status" in ('draft', 'published')) not null, "instructions" text not null, "model" varchar(100) not null, "temperature" double precision not null, "openai_api_key_sealed" text null, "openai_api_key_last4" varchar(4) null, "welcome_message" text not null, "appearance" jsonb not null, "allowed_origins" jsonb not null, "rate_limits" jsonb not null, "lead_capture" jsonb not null, "handoff" jsonb not null, "retrieval" jsonb not null, "embedding_model" varchar(100) not null, constraint "chatbots_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "chatbots_tenant_id_status_index" on "chatbots" ("tenant_id", "status");`);
    this.addSql(
      `create index "chatbots_tenant_id_created_at_index" on "chatbots" ("tenant_id", "created_at");`,
    );

    this.addSql(
      `create table "documents" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "bot_id" uuid not null, "name" varchar(255) not null, "mime_type" varchar(100) not null, "size_bytes" int not null, "storage_key" varchar(255) null, "source_url" varchar(2048) null, "content_hash" varchar(64) null, "status" text check ("status" in ('pending', 'processing', 'completed', 'failed')) not null, "progress" int not null, "chunk_count" int not null, "token_count" int not null, "error" text null, "attempts" int not null, "indexed_at" timestamptz null, constraint "documents_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "documents_bot_id_status_index" on "documents" ("bot_id", "status");`);
    this.addSql(`create index "documents_tenant_id_status_index" on "documents" ("tenant_id", "status");`);
    this.addSql(`create index "documents_bot_id_created_at_index" on "documents" ("bot_id", "created_at");`);

    this.addSql(
      `create table "usage_daily" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "bot_id" uuid not null, "day" varchar(10) not null, "conversations" int not null, "messages" int not null, "tokens_in" int not null, "tokens_out" int not null, "cost_usd" double precision not null, "leads" int not null, constraint "usage_daily_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "usage_daily_tenant_id_day_index" on "usage_daily" ("tenant_id", "day");`);
    this.addSql(
      `alter table "usage_daily" add constraint "usage_daily_bot_id_day_unique" unique ("bot_id", "day");`,
    );

    this.addSql(
      `create table "users" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "email" varchar(254) not null, "name" varchar(120) not null, "password_hash" varchar(255) not null, "role" text check ("role" in ('owner', 'admin', 'agent')) not null, "last_login_at" timestamptz null, constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_tenant_id_role_index" on "users" ("tenant_id", "role");`);

    this.addSql(
      `create table "sessions" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "user_id" uuid not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_reason" varchar(40) null, "user_agent" varchar(300) null, "ip" varchar(64) null, constraint "sessions_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "refresh_tokens" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "session_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "refresh_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "invitations" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "email" varchar(254) not null, "role" text check ("role" in ('owner', 'admin', 'agent')) not null, "token_hash" varchar(64) not null, "invited_by_id" uuid null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, constraint "invitations_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "invitations_tenant_id_email_index" on "invitations" ("tenant_id", "email");`);

    this.addSql(
      `create table "conversations" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "bot_id" uuid not null, "visitor_id" varchar(64) not null, "visitor_ip" varchar(64) null, "user_agent" varchar(400) null, "referrer" varchar(2048) null, "mode" text check ("mode" in ('bot', 'human', 'closed')) not null, "assigned_agent_id" uuid null, "message_count" int not null, "last_seq" int not null, "tokens_in" int not null, "tokens_out" int not null, "cost_usd" double precision not null, "last_message_at" timestamptz null, "handoff_requested_at" timestamptz null, "lead_requested_at" timestamptz null, "lead_declined_at" timestamptz null, "closed_at" timestamptz null, constraint "conversations_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "conversations_bot_id_last_message_at_index" on "conversations" ("bot_id", "last_message_at");`,
    );
    this.addSql(
      `create index "conversations_tenant_id_mode_last_message_at_index" on "conversations" ("tenant_id", "mode", "last_message_at");`,
    );
    this.addSql(
      `create index "conversations_tenant_id_created_at_index" on "conversations" ("tenant_id", "created_at");`,
    );

    this.addSql(
      `create table "messages" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "conversation_id" uuid not null, "seq" int not null, "client_message_id" varchar(64) not null, "role" text check ("role" in ('visitor', 'bot', 'agent', 'system')) not null, "content" text not null, "sources" jsonb not null, "state" text check ("state" in ('streaming', 'complete', 'failed')) not null, "agent_id" uuid null, "model" varchar(100) null, "tokens_in" int not null, "tokens_out" int not null, "cost_usd" double precision not null, constraint "messages_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "messages" add constraint "messages_conversation_id_seq_unique" unique ("conversation_id", "seq");`,
    );
    this.addSql(
      `alter table "messages" add constraint "messages_conversation_id_client_message_id_unique" unique ("conversation_id", "client_message_id");`,
    );

    this.addSql(
      `create table "leads" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "bot_id" uuid not null, "conversation_id" uuid not null, "email" varchar(254) not null, "name" varchar(120) null, "phone" varchar(40) null, "company" varchar(120) null, "consent" boolean not null, "consent_at" timestamptz null, "status" text check ("status" in ('new', 'contacted', 'qualified', 'converted')) not null, "score" int not null, "score_reasons" jsonb not null, "summary" text null, "assignee_id" uuid null, constraint "leads_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "leads" add constraint "leads_conversation_id_unique" unique ("conversation_id");`,
    );
    this.addSql(
      `create index "leads_tenant_id_status_created_at_index" on "leads" ("tenant_id", "status", "created_at");`,
    );
    this.addSql(`create index "leads_bot_id_created_at_index" on "leads" ("bot_id", "created_at");`);

    this.addSql(
      `create table "webhooks" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "url" varchar(2048) not null, "description" varchar(255) not null, "events" jsonb not null, "secret_sealed" text not null, "enabled" boolean not null, "consecutive_failures" int not null, "disabled_at" timestamptz null, "disabled_reason" varchar(255) null, constraint "webhooks_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhooks_tenant_id_enabled_index" on "webhooks" ("tenant_id", "enabled");`);

    this.addSql(
      `create table "webhook_deliveries" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "webhook_id" uuid not null, "event" varchar(64) not null, "payload" jsonb not null, "status" text check ("status" in ('pending', 'succeeded', 'failed')) not null, "attempts" int not null, "response_status" int null, "response_body" text null, "error" text null, "next_attempt_at" timestamptz null, "delivered_at" timestamptz null, constraint "webhook_deliveries_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_deliveries_webhook_id_created_at_index" on "webhook_deliveries" ("webhook_id", "created_at");`,
    );
    this.addSql(
      `create index "webhook_deliveries_status_next_attempt_at_index" on "webhook_deliveries" ("status", "next_attempt_at");`,
    );

    this.addSql(
      `alter table "chatbots" add constraint "chatbots_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );

    this.addSql(
      `alter table "documents" add constraint "documents_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "documents" add constraint "documents_bot_id_foreign" foreign key ("bot_id") references "chatbots" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "usage_daily" add constraint "usage_daily_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "usage_daily" add constraint "usage_daily_bot_id_foreign" foreign key ("bot_id") references "chatbots" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "users" add constraint "users_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );

    this.addSql(
      `alter table "sessions" add constraint "sessions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "invitations" add constraint "invitations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_invited_by_id_foreign" foreign key ("invited_by_id") references "users" ("id") on update no action on delete set null;`,
    );

    this.addSql(
      `alter table "conversations" add constraint "conversations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "conversations" add constraint "conversations_bot_id_foreign" foreign key ("bot_id") references "chatbots" ("id") on update no action on delete cascade;`,
    );
    this.addSql(
      `alter table "conversations" add constraint "conversations_assigned_agent_id_foreign" foreign key ("assigned_agent_id") references "users" ("id") on update no action on delete no action;`,
    );

    this.addSql(
      `alter table "messages" add constraint "messages_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "messages" add constraint "messages_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update no action on delete cascade;`,
    );
    this.addSql(
      `alter table "messages" add constraint "messages_agent_id_foreign" foreign key ("agent_id") references "users" ("id") on update no action on delete no action;`,
    );

    this.addSql(
      `alter table "leads" add constraint "leads_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "leads" add constraint "leads_bot_id_foreign" foreign key ("bot_id") references "chatbots" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "leads" add constraint "leads_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update no action on delete cascade;`,
    );
    this.addSql(
      `alter table "leads" add constraint "leads_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on update no action on delete no action;`,
    );

    this.addSql(
      `alter table "webhooks" add constraint "webhooks_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );

    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_webhook_id_foreign" foreign key ("webhook_id") references "webhooks" ("id") on update no action on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "chatbots" drop constraint "chatbots_tenant_id_foreign";`);

    this.addSql(`alter table "documents" drop constraint "documents_tenant_id_foreign";`);

    this.addSql(`alter table "usage_daily" drop constraint "usage_daily_tenant_id_foreign";`);

    this.addSql(`alter table "users" drop constraint "users_tenant_id_foreign";`);

    this.addSql(`alter table "sessions" drop constraint "sessions_tenant_id_foreign";`);

    this.addSql(`alter table "refresh_tokens" drop constraint "refresh_tokens_tenant_id_foreign";`);

    this.addSql(`alter table "invitations" drop constraint "invitations_tenant_id_foreign";`);

    this.addSql(`alter table "conversations" drop constraint "conversations_tenant_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_tenant_id_foreign";`);

    this.addSql(`alter table "leads" drop constraint "leads_tenant_id_foreign";`);

    this.addSql(`alter table "webhooks" drop constraint "webhooks_tenant_id_foreign";`);

    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_tenant_id_foreign";`);

    this.addSql(`alter table "documents" drop constraint "documents_bot_id_foreign";`);

    this.addSql(`alter table "usage_daily" drop constraint "usage_daily_bot_id_foreign";`);

    this.addSql(`alter table "conversations" drop constraint "conversations_bot_id_foreign";`);

    this.addSql(`alter table "leads" drop constraint "leads_bot_id_foreign";`);

    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);

    this.addSql(`alter table "invitations" drop constraint "invitations_invited_by_id_foreign";`);

    this.addSql(`alter table "conversations" drop constraint "conversations_assigned_agent_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_agent_id_foreign";`);

    this.addSql(`alter table "leads" drop constraint "leads_assignee_id_foreign";`);

    this.addSql(`alter table "refresh_tokens" drop constraint "refresh_tokens_session_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_conversation_id_foreign";`);

    this.addSql(`alter table "leads" drop constraint "leads_conversation_id_foreign";`);

    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_webhook_id_foreign";`);

    this.addSql(`drop table if exists "tenants" cascade;`);

    this.addSql(`drop table if exists "chatbots" cascade;`);

    this.addSql(`drop table if exists "documents" cascade;`);

    this.addSql(`drop table if exists "usage_daily" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "sessions" cascade;`);

    this.addSql(`drop table if exists "refresh_tokens" cascade;`);

    this.addSql(`drop table if exists "invitations" cascade;`);

    this.addSql(`drop table if exists "conversations" cascade;`);

    this.addSql(`drop table if exists "messages" cascade;`);

    this.addSql(`drop table if exists "leads" cascade;`);

    this.addSql(`drop table if exists "webhooks" cascade;`);

    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
  }
}
