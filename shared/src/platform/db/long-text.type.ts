import { TextType, type EntityProperty, type Platform } from '@mikro-orm/core';

/**
 * Unbounded Unicode text. SQL Server's `text` is deprecated and not Unicode, so it gets `nvarchar(max)`;
 * the other dialects keep `text`. (The platform is told apart by name so that SQL Server's client library
 * is only loaded where SQL Server is used.)
 */
export class LongTextType extends TextType {
  override getColumnType(prop: EntityProperty, platform: Platform): string {
    return platform.constructor.name === 'MsSqlPlatform'
      ? 'nvarchar(max)'
      : super.getColumnType(prop, platform);
  }
}
