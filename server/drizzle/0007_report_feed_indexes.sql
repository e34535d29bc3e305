DROP INDEX `reports_category_idx` ON `reports`;--> statement-breakpoint
CREATE INDEX `reports_feed_category_idx` ON `reports` (`village_id`,`is_public`,`category`,`id`);--> statement-breakpoint
CREATE INDEX `reports_feed_state_idx` ON `reports` (`village_id`,`is_public`,`state`,`id`);