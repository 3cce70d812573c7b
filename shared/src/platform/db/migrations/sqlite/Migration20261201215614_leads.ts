import { Migration } from '@mikro-orm/migrations';

// Written from MikroORM's diff, without the rebuilds of six unchanged tables its SQLite differ asks for.
export class Migration20261201215614_leads extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`lead_events\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`lead_id\` text not null, \`kind\` text check (\`kind\` in ('captured', 'status', 'assignee', 'note')) not null, \`author_id\` text null, \`old_value\` text null, \`new_value\` text null, \`text\` text null, constraint \`lead_events_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`lead_events_lead_id_foreign\` foreign key(\`lead_id\`) references \`leads\`(\`id\`) on delete cascade on update no action, constraint \`lead_events_author_id_foreign\` foreign key(\`author_id\`) references \`users\`(\`id\`) on delete no action on update no action, primary key (\`id\`));`);
    this.addSql(`create index \`lead_events_tenant_id_index\` on \`lead_events\` (\`tenant_id\`);`);
    this.addSql(`create index \`lead_events_lead_id_index\` on \`lead_events\` (\`lead_id\`);`);
    this.addSql(`create index \`lead_events_author_id_index\` on \`lead_events\` (\`author_id\`);`);
    this.addSql(`create index \`lead_events_lead_id_created_at_index\` on \`lead_events\` (\`lead_id\`, \`created_at\`);`);

    this.addSql(`create table \`audit_logs\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`tenant_id\` text not null, \`actor_id\` text null, \`action\` text not null, \`subject_type\` text not null, \`subject_id\` text not null, \`details\` json not null, constraint \`audit_logs_tenant_id_foreign\` foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete no action on update no action, constraint \`audit_logs_actor_id_foreign\` foreign key(\`actor_id\`) references \`users\`(\`id\`) on delete no action on update no action, primary key (\`id\`));`);
    this.addSql(`create index \`audit_logs_tenant_id_index\` on \`audit_logs\` (\`tenant_id\`);`);
    this.addSql(`create index \`audit_logs_actor_id_index\` on \`audit_logs\` (\`actor_id\`);`);
    this.addSql(`create index \`audit_logs_tenant_id_created_at_index\` on \`audit_logs\` (\`tenant_id\`, \`created_at\`);`);

    this.addSql(`alter table \`tenants\` add column \`retention_days\` integer null;`);
    this.addSql(`alter table \`usage_daily\` add column \`handoffs\` integer not null default 0;`);
  }
}
