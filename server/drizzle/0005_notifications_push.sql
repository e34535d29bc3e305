ALTER TABLE `notifications` ADD `pushed_at` datetime(3);--> statement-breakpoint
CREATE INDEX `notifications_push_idx` ON `notifications` (`pushed_at`,`id`);