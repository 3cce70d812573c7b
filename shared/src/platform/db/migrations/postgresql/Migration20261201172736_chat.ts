import { Migration } from '@mikro-orm/migrations';

export class Migration20261201172736_chat extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "chatbots" add column "offline_fallback" boolean not null default true;`);

    this.addSql(`alter table "messages" add column "error" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "chatbots" drop column "offline_fallback";`);

    this.addSql(`alter table "messages" drop column "error";`);
  }

}
