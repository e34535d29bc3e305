ALTER TABLE `villages` ADD `committee_phone` varchar(20);--> statement-breakpoint
ALTER TABLE `villages` ADD `office_hours` varchar(60);--> statement-breakpoint
ALTER TABLE `shop_items` ADD `description` varchar(300);--> statement-breakpoint
-- A shop item's photo is now the key of an uploaded photo; anything else (an old free-text address) is dropped.
UPDATE `shop_items` SET `photo` = NULL WHERE `photo` NOT REGEXP '^[a-f0-9]{64}$';