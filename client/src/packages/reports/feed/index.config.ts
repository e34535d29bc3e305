export default definePageConfig({ navigationBarTitleText: '大家的上报' })
