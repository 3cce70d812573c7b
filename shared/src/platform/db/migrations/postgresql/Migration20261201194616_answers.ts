import { Migration } from '@mikro-orm/migrations';

export class Migration20261201194616_answers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "usage_daily" add column "unanswered" int not null default 0;`);

    this.addSql(`alter table "messages" add column "unanswered" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "messages" drop column "unanswered";`);

    this.addSql(`alter table "usage_daily" drop column "unanswered";`);
  }

}
