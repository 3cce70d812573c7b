import { Migration } from '@mikro-orm/migrations';

// Written by hand (no SQL Server here to diff against); matches ../../mssql/schema.sql.
export class Migration20261201215616_leads extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "CREATE TABLE [lead_events] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [lead_id] uniqueidentifier not null, [kind] nvarchar(100) check ([kind] in ('captured', 'status', 'assignee', 'note')) not null, [author_id] uniqueidentifier null, [old_value] nvarchar(255) null, [new_value] nvarchar(255) null, [text] nvarchar(max) null, CONSTRAINT [lead_events_pkey] PRIMARY KEY ([id]));",
    );
    this.addSql('CREATE INDEX [lead_events_lead_id_created_at_index] ON [lead_events] ([lead_id], [created_at]);');
    this.addSql(
      'CREATE TABLE [audit_logs] ([id] uniqueidentifier not null, [created_at] datetime2 not null, [updated_at] datetime2 not null, [tenant_id] uniqueidentifier not null, [actor_id] uniqueidentifier null, [action] nvarchar(64) not null, [subject_type] nvarchar(32) not null, [subject_id] nvarchar(254) not null, [details] nvarchar(max) not null, CONSTRAINT [audit_logs_pkey] PRIMARY KEY ([id]));',
    );
    this.addSql('CREATE INDEX [audit_logs_tenant_id_created_at_index] ON [audit_logs] ([tenant_id], [created_at]);');
    this.addSql(
      'alter table [lead_events] add constraint [lead_events_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;',
    );
    this.addSql(
      'alter table [lead_events] add constraint [lead_events_lead_id_foreign] foreign key ([lead_id]) references [leads] ([id]) on update no action on delete cascade;',
    );
    this.addSql(
      'alter table [lead_events] add constraint [lead_events_author_id_foreign] foreign key ([author_id]) references [users] ([id]) on update no action on delete no action;',
    );
    this.addSql(
      'alter table [audit_logs] add constraint [audit_logs_tenant_id_foreign] foreign key ([tenant_id]) references [tenants] ([id]) on update no action on delete no action;',
    );
    this.addSql(
      'alter table [audit_logs] add constraint [audit_logs_actor_id_foreign] foreign key ([actor_id]) references [users] ([id]) on update no action on delete no action;',
    );
    this.addSql('alter table [tenants] add [retention_days] int null;');
    this.addSql(
      'alter table [usage_daily] add [handoffs] int not null constraint [usage_daily_handoffs_default] default 0;',
    );
  }
}
