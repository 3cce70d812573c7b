import { Migration } from '@mikro-orm/migrations';

export class Migration20261125185140_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`tenants\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`name\` text not null, primary key (\`id\`));`,
    );

    this.addSql(
      `create table \`chatbots\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`name\` text not null, \`description\` text not null, \`status\` text check (\`status\` in ('draft', 'published')) not null, \`instructions\` text not null, \`model\` text not null, \`temperature\` double not null, \`openai_api_key_sealed\` text null, \`openai_api_key_last4\` text null, \`welcome_message\` text not null, \`appearance\` json not null, \`allowed_origins\` json not null, \`rate_limits\` json not null, \`lead_capture\` json not null, \`handoff\` json not null, \`retrieval\` json not null, \`embedding_model\` text not null, constraint \`chatbots_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`chatbots_tenant_id_index\` on \`chatbots\` (\`tenant_id\`);`);
    this.addSql(
      `create index \`chatbots_tenant_id_status_index\` on \`chatbots\` (\`tenant_id\`, \`status\`);`,
    );
    this.addSql(
      `create index \`chatbots_tenant_id_created_at_index\` on \`chatbots\` (\`tenant_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`documents\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`bot_id\` text not null, \`name\` text not null, \`mime_type\` text not null, \`size_bytes\` integer not null, \`storage_key\` text null, \`source_url\` text null, \`content_hash\` text null, \`status\` text check (\`status\` in ('pending', 'processing', 'completed', 'failed')) not null, \`progress\` integer not null, \`chunk_count\` integer not null, \`token_count\` integer not null, \`error\` text null, \`attempts\` integer not null, \`indexed_at\` datetime null, constraint \`documents_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`documents_bot_id_foreign\` foreign key(\`bot_id\`) references \`chatbots\`(\`id\`) on delete cascade on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`documents_tenant_id_index\` on \`documents\` (\`tenant_id\`);`);
    this.addSql(`create index \`documents_bot_id_index\` on \`documents\` (\`bot_id\`);`);
    this.addSql(`create index \`documents_bot_id_status_index\` on \`documents\` (\`bot_id\`, \`status\`);`);
    this.addSql(
      `create index \`documents_tenant_id_status_index\` on \`documents\` (\`tenant_id\`, \`status\`);`,
    );
    this.addSql(
      `create index \`documents_bot_id_created_at_index\` on \`documents\` (\`bot_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`usage_daily\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`bot_id\` text not null, \`day\` text not null, \`conversations\` integer not null, \`messages\` integer not null, \`tokens_in\` integer not null, \`tokens_out\` integer not null, \`cost_usd\` double not null, \`leads\` integer not null, constraint \`usage_daily_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`usage_daily_bot_id_foreign\` foreign key(\`bot_id\`) references \`chatbots\`(\`id\`) on delete cascade on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`usage_daily_tenant_id_index\` on \`usage_daily\` (\`tenant_id\`);`);
    this.addSql(`create index \`usage_daily_bot_id_index\` on \`usage_daily\` (\`bot_id\`);`);
    this.addSql(
      `create index \`usage_daily_tenant_id_day_index\` on \`usage_daily\` (\`tenant_id\`, \`day\`);`,
    );
    this.addSql(
      `create unique index \`usage_daily_bot_id_day_unique\` on \`usage_daily\` (\`bot_id\`, \`day\`);`,
    );

    this.addSql(
      `create table \`users\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`email\` text not null, \`name\` text not null, \`password_hash\` text not null, \`role\` text check (\`role\` in ('owner', 'admin', 'agent')) not null, \`last_login_at\` datetime null, constraint \`users_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`users_tenant_id_index\` on \`users\` (\`tenant_id\`);`);
    this.addSql(`create unique index \`users_email_unique\` on \`users\` (\`email\`);`);
    this.addSql(`create index \`users_tenant_id_role_index\` on \`users\` (\`tenant_id\`, \`role\`);`);

    this.addSql(
      `create table \`sessions\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`user_id\` text not null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`revoked_reason\` text null, \`user_agent\` text null, \`ip\` text null, constraint \`sessions_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`sessions_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`sessions_tenant_id_index\` on \`sessions\` (\`tenant_id\`);`);
    this.addSql(`create index \`sessions_user_id_index\` on \`sessions\` (\`user_id\`);`);

    this.addSql(
      `create table \`refresh_tokens\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`session_id\` text not null, \`token_hash\` text not null, \`expires_at\` datetime not null, \`used_at\` datetime null, constraint \`refresh_tokens_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`refresh_tokens_session_id_foreign\` foreign key(\`session_id\`) references \`sessions\`(\`id\`) on delete cascade on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`refresh_tokens_tenant_id_index\` on \`refresh_tokens\` (\`tenant_id\`);`);
    this.addSql(`create index \`refresh_tokens_session_id_index\` on \`refresh_tokens\` (\`session_id\`);`);
    this.addSql(
      `create unique index \`refresh_tokens_token_hash_unique\` on \`refresh_tokens\` (\`token_hash\`);`,
    );

    this.addSql(
      `create table \`invitations\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`email\` text not null, \`role\` text check (\`role\` in ('owner', 'admin', 'agent')) not null, \`token_hash\` text not null, \`invited_by_id\` text null, \`expires_at\` datetime not null, \`accepted_at\` datetime null, constraint \`invitations_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`invitations_invited_by_id_foreign\` foreign key(\`invited_by_id\`) references \`users\`(\`id\`) on delete set null on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`invitations_tenant_id_index\` on \`invitations\` (\`tenant_id\`);`);
    this.addSql(`create unique index \`invitations_token_hash_unique\` on \`invitations\` (\`token_hash\`);`);
    this.addSql(`create index \`invitations_invited_by_id_index\` on \`invitations\` (\`invited_by_id\`);`);
    this.addSql(
      `create index \`invitations_tenant_id_email_index\` on \`invitations\` (\`tenant_id\`, \`email\`);`,
    );

    this.addSql(
      `create table \`conversations\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`bot_id\` text not null, \`visitor_id\` text not null, \`visitor_ip\` text null, \`user_agent\` text null, \`referrer\` text null, \`mode\` text check (\`mode\` in ('bot', 'human', 'closed')) not null, \`assigned_agent_id\` text null, \`message_count\` integer not null, \`last_seq\` integer not null, \`tokens_in\` integer not null, \`tokens_out\` integer not null, \`cost_usd\` double not null, \`last_message_at\` datetime null, \`handoff_requested_at\` datetime null, \`lead_requested_at\` datetime null, \`lead_declined_at\` datetime null, \`closed_at\` datetime null, constraint \`conversations_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`conversations_bot_id_foreign\` foreign key(\`bot_id\`) references \`chatbots\`(\`id\`) on delete cascade on update no action, constraint \`conversations_assigned_agent_id_foreign\` foreign key(\`assigned_agent_id\`) references \`users\`(\`id\`) on delete no action on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`conversations_tenant_id_index\` on \`conversations\` (\`tenant_id\`);`);
    this.addSql(`create index \`conversations_bot_id_index\` on \`conversations\` (\`bot_id\`);`);
    this.addSql(
      `create index \`conversations_assigned_agent_id_index\` on \`conversations\` (\`assigned_agent_id\`);`,
    );
    this.addSql(
      `create index \`conversations_bot_id_last_message_at_index\` on \`conversations\` (\`bot_id\`, \`last_message_at\`);`,
    );
    this.addSql(
      `create index \`conversations_tenant_id_mode_last_message_at_index\` on \`conversations\` (\`tenant_id\`, \`mode\`, \`last_message_at\`);`,
    );
    this.addSql(
      `create index \`conversations_tenant_id_created_at_index\` on \`conversations\` (\`tenant_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`messages\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`conversation_id\` text not null, \`seq\` integer not null, \`client_message_id\` text not null, \`role\` text check (\`role\` in ('visitor', 'bot', 'agent', 'system')) not null, \`content\` text not null, \`sources\` json not null, \`state\` text check (\`state\` in ('streaming', 'complete', 'failed')) not null, \`agent_id\` text null, \`model\` text null, \`tokens_in\` integer not null, \`tokens_out\` integer not null, \`cost_usd\` double not null, constraint \`messages_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`messages_conversation_id_foreign\` foreign key(\`conversation_id\`) references \`conversations\`(\`id\`) on delete cascade on update no action, constraint \`messages_agent_id_foreign\` foreign key(\`agent_id\`) references \`users\`(\`id\`) on delete no action on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`messages_tenant_id_index\` on \`messages\` (\`tenant_id\`);`);
    this.addSql(`create index \`messages_conversation_id_index\` on \`messages\` (\`conversation_id\`);`);
    this.addSql(`create index \`messages_agent_id_index\` on \`messages\` (\`agent_id\`);`);
    this.addSql(
      `create unique index \`messages_conversation_id_seq_unique\` on \`messages\` (\`conversation_id\`, \`seq\`);`,
    );
    this.addSql(
      `create unique index \`messages_conversation_id_client_message_id_unique\` on \`messages\` (\`conversation_id\`, \`client_message_id\`);`,
    );

    this.addSql(
      `create table \`leads\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`bot_id\` text not null, \`conversation_id\` text not null, \`email\` text not null, \`name\` text null, \`phone\` text null, \`company\` text null, \`consent\` integer not null, \`consent_at\` datetime null, \`status\` text check (\`status\` in ('new', 'contacted', 'qualified', 'converted')) not null, \`score\` integer not null, \`score_reasons\` json not null, \`summary\` text null, \`assignee_id\` text null, constraint \`leads_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`leads_bot_id_foreign\` foreign key(\`bot_id\`) references \`chatbots\`(\`id\`) on delete no action on update no action, constraint \`leads_conversation_id_foreign\` foreign key(\`conversation_id\`) references \`conversations\`(\`id\`) on delete cascade on update no action, constraint \`leads_assignee_id_foreign\` foreign key(\`assignee_id\`) references \`users\`(\`id\`) on delete no action on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`leads_tenant_id_index\` on \`leads\` (\`tenant_id\`);`);
    this.addSql(`create index \`leads_bot_id_index\` on \`leads\` (\`bot_id\`);`);
    this.addSql(`create index \`leads_conversation_id_index\` on \`leads\` (\`conversation_id\`);`);
    this.addSql(`create unique index \`leads_conversation_id_unique\` on \`leads\` (\`conversation_id\`);`);
    this.addSql(`create index \`leads_assignee_id_index\` on \`leads\` (\`assignee_id\`);`);
    this.addSql(
      `create index \`leads_tenant_id_status_created_at_index\` on \`leads\` (\`tenant_id\`, \`status\`, \`created_at\`);`,
    );
    this.addSql(`create index \`leads_bot_id_created_at_index\` on \`leads\` (\`bot_id\`, \`created_at\`);`);

    this.addSql(
      `create table \`webhooks\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`url\` text not null, \`description\` text not null, \`events\` json not null, \`secret_sealed\` text not null, \`enabled\` integer not null, \`consecutive_failures\` integer not null, \`disabled_at\` datetime null, \`disabled_reason\` text null, constraint \`webhooks_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, primary key (\`id\`));`,
    );
    this.addSql(`create index \`webhooks_tenant_id_index\` on \`webhooks\` (\`tenant_id\`);`);
    this.addSql(
      `create index \`webhooks_tenant_id_enabled_index\` on \`webhooks\` (\`tenant_id\`, \`enabled\`);`,
    );

    this.addSql(
      `create table \`webhook_deliveries\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`webhook_id\` text not null, \`event\` text not null, \`payload\` json not null, \`status\` text check (\`status\` in ('pending', 'succeeded', 'failed')) not null, \`attempts\` integer not null, \`response_status\` integer null, \`response_body\` text null, \`error\` text null, \`next_attempt_at\` datetime null, \`delivered_at\` datetime null, constraint \`webhook_deliveries_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`webhook_deliveries_webhook_id_foreign\` foreign key(\`webhook_id\`) references \`webhooks\`(\`id\`) on delete cascade on update no action, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`webhook_deliveries_tenant_id_index\` on \`webhook_deliveries\` (\`tenant_id\`);`,
    );
    this.addSql(
      `create index \`webhook_deliveries_webhook_id_index\` on \`webhook_deliveries\` (\`webhook_id\`);`,
    );
    this.addSql(
      `create index \`webhook_deliveries_webhook_id_created_at_index\` on \`webhook_deliveries\` (\`webhook_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`webhook_deliveries_status_next_attempt_at_index\` on \`webhook_deliveries\` (\`status\`, \`next_attempt_at\`);`,
    );
  }
}
