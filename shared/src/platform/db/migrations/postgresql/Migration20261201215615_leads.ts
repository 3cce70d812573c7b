import { Migration } from '@mikro-orm/migrations';

export class Migration20261201215615_leads extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "lead_events" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "lead_id" uuid not null, "kind" text check ("kind" in ('captured', 'status', 'assignee', 'note')) not null, "author_id" uuid null, "old_value" varchar(255) null, "new_value" varchar(255) null, "text" text null, constraint "lead_events_pkey" primary key ("id"));`);
    this.addSql(`create index "lead_events_lead_id_created_at_index" on "lead_events" ("lead_id", "created_at");`);

    this.addSql(`create table "audit_logs" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "actor_id" uuid null, "action" varchar(64) not null, "subject_type" varchar(32) not null, "subject_id" varchar(254) not null, "details" jsonb not null, constraint "audit_logs_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_logs_tenant_id_created_at_index" on "audit_logs" ("tenant_id", "created_at");`);

    this.addSql(`alter table "lead_events" add constraint "lead_events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`);
    this.addSql(`alter table "lead_events" add constraint "lead_events_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update no action on delete cascade;`);
    this.addSql(`alter table "lead_events" add constraint "lead_events_author_id_foreign" foreign key ("author_id") references "users" ("id") on update no action on delete no action;`);

    this.addSql(`alter table "audit_logs" add constraint "audit_logs_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update no action on delete no action;`);
    this.addSql(`alter table "audit_logs" add constraint "audit_logs_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update no action on delete no action;`);

    this.addSql(`alter table "tenants" add column "retention_days" int null;`);

    this.addSql(`alter table "usage_daily" add column "handoffs" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "lead_events" cascade;`);

    this.addSql(`drop table if exists "audit_logs" cascade;`);

    this.addSql(`alter table "tenants" drop column "retention_days";`);

    this.addSql(`alter table "usage_daily" drop column "handoffs";`);
  }

}
