import { Migration } from '@mikro-orm/migrations';

// Written by hand (no SQL Server here to diff against); matches ../../mssql/schema.sql.
export class Migration20261202020543_visitor_language extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table [conversations] add [visitor_language] nvarchar(35) null;');
  }
}
