CREATE TABLE `privacy_consents` (
	`user_id` bigint unsigned NOT NULL,
	`version` varchar(16) NOT NULL,
	`accepted_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `privacy_consents_pk` PRIMARY KEY(`user_id`,`version`)
);
--> statement-breakpoint
ALTER TABLE `persons` MODIFY COLUMN `phone` varchar(200);--> statement-breakpoint
ALTER TABLE `memberships` ADD `phone` varchar(200);--> statement-breakpoint
ALTER TABLE `users` ADD `deleted_at` datetime(3);--> statement-breakpoint
ALTER TABLE `report_settings` ADD `retention_days` smallint unsigned DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `purged_at` datetime(3);--> statement-breakpoint
ALTER TABLE `privacy_consents` ADD CONSTRAINT `privacy_consents_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;