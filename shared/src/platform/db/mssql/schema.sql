CREATE TABLE [tenants] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [name] nvarchar(120) not null, [retention_days] int null, CONSTRAINT [tenants_pkey] PRIMARY KEY ([id]));

CREATE TABLE [chatbots] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [name] nvarchar(120) not null, [description] nvarchar(max) not null, [status] nvarchar(100) check ([status] in ('draft', 'published')) not null, [instructions] nvarchar(max) not null, [model] nvarchar(100) not null, [temperature] float(53) not null, [openai_api_key_sealed] nvarchar(max) null, [openai_api_key_last4] nvarchar(4) null, [offline_fallback] bit not null CONSTRAINT [chatbots_offline_fallback_default] DEFAULT 1, [welcome_message] nvarchar(max) not null, [appearance] nvarchar(max) not null, [allowed_origins] nvarchar(max) not null, [rate_limits] nvarchar(max) not null, [lead_capture] nvarchar(max) not null, [handoff] nvarchar(max) not null, [retrieval] nvarchar(max) not null, [embedding_model] nvarchar(100) not null, CONSTRAINT [chatbots_pkey] PRIMARY KEY ([id]));
CREATE INDEX [chatbots_tenant_id_status_index] ON [chatbots] ([tenant_id], [status]);
CREATE INDEX [chatbots_tenant_id_created_at_index] ON [chatbots] ([tenant_id], [created_at]);

CREATE TABLE [documents] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [bot_id] uniqueidentifier not null, [name] nvarchar(255) not null, [mime_type] nvarchar(100) not null, [size_bytes] int not null, [storage_key] nvarchar(255) null, [source_url] nvarchar(2048) null, [content_hash] nvarchar(64) null, [status] nvarchar(100) check ([status] in ('pending', 'processing', 'completed', 'failed')) not null, [progress] int not null, [chunk_count] int not null, [token_count] int not null, [error] nvarchar(max) null, [attempts] int not null, [indexed_at] datetime2 null, CONSTRAINT [documents_pkey] PRIMARY KEY ([id]));
CREATE INDEX [documents_bot_id_status_index] ON [documents] ([bot_id], [status]);
CREATE INDEX [documents_tenant_id_status_index] ON [documents] ([tenant_id], [status]);
CREATE INDEX [documents_bot_id_created_at_index] ON [documents] ([bot_id], [created_at]);

CREATE TABLE [usage_daily] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [bot_id] uniqueidentifier not null, [day] nvarchar(10) not null, [conversations] int not null, [messages] int not null, [tokens_in] int not null, [tokens_out] int not null, [cost_usd] float(53) not null, [leads] int not null, [unanswered] int not null CONSTRAINT [usage_daily_unanswered_default] DEFAULT 0, [handoffs] int not null CONSTRAINT [usage_daily_handoffs_default] DEFAULT 0, CONSTRAINT [usage_daily_pkey] PRIMARY KEY ([id]));
CREATE INDEX [usage_daily_tenant_id_day_index] ON [usage_daily] ([tenant_id], [day]);
CREATE UNIQUE INDEX [usage_daily_bot_id_day_unique] ON [usage_daily] ([bot_id], [day]) WHERE [bot_id] IS NOT NULL AND [day] IS NOT NULL;

CREATE TABLE [users] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [email] nvarchar(254) not null, [name] nvarchar(120) not null, [password_hash] nvarchar(255) not null, [role] nvarchar(100) check ([role] in ('owner', 'admin', 'agent')) not null, [last_login_at] datetime2 null, CONSTRAINT [users_pkey] PRIMARY KEY ([id]));
CREATE UNIQUE INDEX [users_email_unique] ON [users] ([email]) WHERE [email] IS NOT NULL;
CREATE INDEX [users_tenant_id_role_index] ON [users] ([tenant_id], [role]);

CREATE TABLE [sessions] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [user_id] uniqueidentifier not null, [expires_at] datetime2 not null, [revoked_at] datetime2 null, [revoked_reason] nvarchar(40) null, [user_agent] nvarchar(300) null, [ip] nvarchar(64) null, CONSTRAINT [sessions_pkey] PRIMARY KEY ([id]));

CREATE TABLE [refresh_tokens] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [session_id] uniqueidentifier not null, [token_hash] nvarchar(64) not null, [expires_at] datetime2 not null, [used_at] datetime2 null, CONSTRAINT [refresh_tokens_pkey] PRIMARY KEY ([id]));
CREATE UNIQUE INDEX [refresh_tokens_token_hash_unique] ON [refresh_tokens] ([token_hash]) WHERE [token_hash] IS NOT NULL;

CREATE TABLE [invitations] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [email] nvarchar(254) not null, [role] nvarchar(100) check ([role] in ('owner', 'admin', 'agent')) not null, [token_hash] nvarchar(64) not null, [invited_by_id] uniqueidentifier null, [expires_at] datetime2 not null, [accepted_at] datetime2 null, CONSTRAINT [invitations_pkey] PRIMARY KEY ([id]));
CREATE UNIQUE INDEX [invitations_token_hash_unique] ON [invitations] ([token_hash]) WHERE [token_hash] IS NOT NULL;
CREATE INDEX [invitations_tenant_id_email_index] ON [invitations] ([tenant_id], [email]);

CREATE TABLE [conversations] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [bot_id] uniqueidentifier not null, [visitor_id] nvarchar(64) not null, [visitor_ip] nvarchar(64) null, [user_agent] nvarchar(400) null, [referrer] nvarchar(2048) null, [visitor_language] nvarchar(35) null, [mode] nvarchar(100) check ([mode] in ('bot', 'human', 'closed')) not null, [assigned_agent_id] uniqueidentifier null, [message_count] int not null, [last_seq] int not null, [tokens_in] int not null, [tokens_out] int not null, [cost_usd] float(53) not null, [last_message_at] datetime2 null, [handoff_requested_at] datetime2 null, [lead_requested_at] datetime2 null, [lead_declined_at] datetime2 null, [closed_at] datetime2 null, CONSTRAINT [conversations_pkey] PRIMARY KEY ([id]));
CREATE INDEX [conversations_bot_id_last_message_at_index] ON [conversations] ([bot_id], [last_message_at]);
CREATE INDEX [conversations_tenant_id_mode_last_message_at_index] ON [conversations] ([tenant_id], [mode], [last_message_at]);
CREATE INDEX [conversations_tenant_id_created_at_index] ON [conversations] ([tenant_id], [created_at]);

CREATE TABLE [messages] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [conversation_id] uniqueidentifier not null, [seq] int not null, [client_message_id] nvarchar(64) not null, [role] nvarchar(100) check ([role] in ('visitor', 'bot', 'agent', 'system')) not null, [content] nvarchar(max) not null, [sources] nvarchar(max) not null, [state] nvarchar(100) check ([state] in ('streaming', 'complete', 'failed')) not null, [agent_id] uniqueidentifier null, [model] nvarchar(100) null, [tokens_in] int not null, [tokens_out] int not null, [cost_usd] float(53) not null, [error] nvarchar(max) null, [unanswered] bit not null CONSTRAINT [messages_unanswered_default] DEFAULT 0, CONSTRAINT [messages_pkey] PRIMARY KEY ([id]));
CREATE UNIQUE INDEX [messages_conversation_id_seq_unique] ON [messages] ([conversation_id], [seq]) WHERE [conversation_id] IS NOT NULL AND [seq] IS NOT NULL;
CREATE UNIQUE INDEX [messages_conversation_id_client_message_id_unique] ON [messages] ([conversation_id], [client_message_id]) WHERE [conversation_id] IS NOT NULL AND [client_message_id] IS NOT NULL;

CREATE TABLE [leads] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [bot_id] uniqueidentifier not null, [conversation_id] uniqueidentifier not null, [email] nvarchar(254) not null, [name] nvarchar(120) null, [phone] nvarchar(40) null, [company] nvarchar(120) null, [consent] bit not null, [consent_at] datetime2 null, [status] nvarchar(100) check ([status] in ('new', 'contacted', 'qualified', 'converted')) not null, [score] int not null, [score_reasons] nvarchar(max) not null, [summary] nvarchar(max) null, [assignee_id] uniqueidentifier null, CONSTRAINT [leads_pkey] PRIMARY KEY ([id]));
CREATE UNIQUE INDEX [leads_conversation_id_unique] ON [leads] ([conversation_id]) WHERE [conversation_id] IS NOT NULL;
CREATE INDEX [leads_tenant_id_status_created_at_index] ON [leads] ([tenant_id], [status], [created_at]);
CREATE INDEX [leads_bot_id_created_at_index] ON [leads] ([bot_id], [created_at]);

CREATE TABLE [lead_events] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [lead_id] uniqueidentifier not null, [kind] nvarchar(100) check ([kind] in ('captured', 'status', 'assignee', 'note')) not null, [author_id] uniqueidentifier null, [old_value] nvarchar(255) null, [new_value] nvarchar(255) null, [text] nvarchar(max) null, CONSTRAINT [lead_events_pkey] PRIMARY KEY ([id]));
CREATE INDEX [lead_events_lead_id_created_at_index] ON [lead_events] ([lead_id], [created_at]);

CREATE TABLE [audit_logs] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [actor_id] uniqueidentifier null, [action] nvarchar(64) not null, [subject_type] nvarchar(32) not null, [subject_id] nvarchar(254) not null, [details] nvarchar(max) not null, CONSTRAINT [audit_logs_pkey] PRIMARY KEY ([id]));
CREATE INDEX [audit_logs_tenant_id_created_at_index] ON [audit_logs] ([tenant_id], [created_at]);

CREATE TABLE [webhooks] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [url] nvarchar(2048) not null, [description] nvarchar(255) not null, [events] nvarchar(max) not null, [secret_sealed] nvarchar(max) not null, [enabled] bit not null, [consecutive_failures] int not null, [disabled_at] datetime2 null, [disabled_reason] nvarchar(255) null, CONSTRAINT [webhooks_pkey] PRIMARY KEY ([id]));
CREATE INDEX [webhooks_tenant_id_enabled_index] ON [webhooks] ([tenant_id], [enabled]);

CREATE TABLE [webhook_deliveries] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [webhook_id] uniqueidentifier not null, [event] nvarchar(64) not null, [payload] nvarchar(max) not null, [status] nvarchar(100) check ([status] in ('pending', 'succeeded', 'failed')) not null, [attempts] int not null, [response_status] int null, [response_body] nvarchar(max) null, [error] nvarchar(max) null, [next_attempt_at] datetime2 null, [delivered_at] datetime2 null, CONSTRAINT [webhook_deliveries_pkey] PRIMARY KEY ([id]));
CREATE INDEX [webhook_deliveries_webhook_id_created_at_index] ON [webhook_deliveries] ([webhook_id], [created_at]);
CREATE INDEX [webhook_deliveries_status_next_attempt_at_index] ON [webhook_deliveries] ([status], [next_attempt_at]);

alter table [chatbots] add constraint [chatbots_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;

alter table [documents] add constraint [documents_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [documents] add constraint [documents_bot_id_foreign] foreign key ([bot_id]) references [chatbots] ([id]) on update no action on delete cascade;

alter table [usage_daily] add constraint [usage_daily_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [usage_daily] add constraint [usage_daily_bot_id_foreign] foreign key ([bot_id]) references [chatbots] ([id]) on update no action on delete cascade;

alter table [users] add constraint [users_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;

alter table [sessions] add constraint [sessions_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [sessions] add constraint [sessions_user_id_foreign] foreign key ([user_id]) references [users] ([id]) on update no action on delete cascade;

alter table [refresh_tokens] add constraint [refresh_tokens_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [refresh_tokens] add constraint [refresh_tokens_session_id_foreign] foreign key ([session_id]) references [sessions] ([id]) on update no action on delete cascade;

alter table [invitations] add constraint [invitations_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [invitations] add constraint [invitations_invited_by_id_foreign] foreign key ([invited_by_id]) references [users] ([id]) on update no action on delete set null;

alter table [conversations] add constraint [conversations_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [conversations] add constraint [conversations_bot_id_foreign] foreign key ([bot_id]) references [chatbots] ([id]) on update no action on delete cascade;
alter table [conversations] add constraint [conversations_assigned_agent_id_foreign] foreign key ([assigned_agent_id]) references [users] ([id]) on update no action on delete no action;

alter table [messages] add constraint [messages_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [messages] add constraint [messages_conversation_id_foreign] foreign key ([conversation_id]) references [conversations] ([id]) on update no action on delete cascade;
alter table [messages] add constraint [messages_agent_id_foreign] foreign key ([agent_id]) references [users] ([id]) on update no action on delete no action;

alter table [leads] add constraint [leads_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [leads] add constraint [leads_bot_id_foreign] foreign key ([bot_id]) references [chatbots] ([id]) on update no action on delete no action;
alter table [leads] add constraint [leads_conversation_id_foreign] foreign key ([conversation_id]) references [conversations] ([id]) on update no action on delete cascade;
alter table [leads] add constraint [leads_assignee_id_foreign] foreign key ([assignee_id]) references [users] ([id]) on update no action on delete no action;

alter table [lead_events] add constraint [lead_events_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [lead_events] add constraint [lead_events_lead_id_foreign] foreign key ([lead_id]) references [leads] ([id]) on update no action on delete cascade;
alter table [lead_events] add constraint [lead_events_author_id_foreign] foreign key ([author_id]) references [users] ([id]) on update no action on delete no action;

alter table [audit_logs] add constraint [audit_logs_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [audit_logs] add constraint [audit_logs_actor_id_foreign] foreign key ([actor_id]) references [users] ([id]) on update no action on delete no action;

alter table [webhooks] add constraint [webhooks_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;

alter table [webhook_deliveries] add constraint [webhook_deliveries_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;
alter table [webhook_deliveries] add constraint [webhook_deliveries_webhook_id_foreign] foreign key ([webhook_id]) references [webhooks] ([id]) on update no action on delete cascade;

